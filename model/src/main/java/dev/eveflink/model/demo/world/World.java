package dev.eveflink.model.demo.world;

/**
 * The shapes world as a function: {@code (seed, index) -> sample}.
 *
 * <p>Each sample draws from its own streams of {@link WorldRandom#stream}, one per part (scene,
 * encoding, questions), so sample {@code index} is the same whatever was generated before it, in
 * any order or on any thread, and a change to one part's draws never shifts another's.
 */
public final class World {
    static final long SCENE_STREAM = 1;
    static final long ENCODING_STREAM = 2;
    static final long QUESTION_STREAM = 3;

    private static final SceneSampler SAMPLER = new SceneSampler();
    private static final SceneRenderer RENDERER = new SceneRenderer();

    private World() {}

    /** Sample {@code index} of the world with this seed. Thread-safe. */
    public static WorldSample sample(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        Scene scene = scene(seed, index);
        Encoding encoding = Encoding.sample(WorldRandom.stream(seed, index, ENCODING_STREAM));
        GroundTruth truth = GroundTruth.of(scene, WorldRandom.stream(seed, index, QUESTION_STREAM).nextLong());
        return new WorldSample(seed, index, scene, encoding, RENDERER.encode(scene, encoding), truth);
    }

    /** Only the scene of sample {@code index} (no rendering), e.g. for statistics. */
    public static Scene scene(long seed, int index) {
        return SAMPLER.sample(WorldRandom.stream(seed, index, SCENE_STREAM));
    }
}
