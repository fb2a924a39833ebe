/**
 * The synthetic shapes world of {@code docs/shapes-world.md}: the data the demo EVE model is trained
 * and evaluated on, and the images the demo's Kafka producer sends.
 *
 * <p>{@link dev.eveflink.model.demo.world.World#sample(long, int)} is the entry point: a pure function
 * of (seed, index) giving a {@link dev.eveflink.model.demo.world.Scene} (drawn by
 * {@link dev.eveflink.model.demo.world.SceneSampler}), its PNG or JPEG bytes (drawn by
 * {@link dev.eveflink.model.demo.world.SceneRenderer}) and its
 * {@link dev.eveflink.model.demo.world.GroundTruth}. {@link dev.eveflink.model.demo.world.WorldExport}
 * writes samples to a folder for people and for other renderers.
 *
 * <p>Pure Java and ImageIO; all randomness comes from the seeded
 * {@link dev.eveflink.model.demo.world.WorldRandom}, so a seed gives the same bytes on every JDK
 * (JPEG bytes as far as ImageIO's encoder is stable). The exact rasterization rule is documented in
 * {@code ShapeRaster}; models must not depend on it, as held-out images may come from another renderer, such as
 * {@link dev.eveflink.model.demo.world.Java2dSceneRenderer}, written from the spec alone (antialiased Java2D).
 */
package dev.eveflink.model.demo.world;
