package dev.eveflink.model.demo.train;

import ai.djl.ndarray.NDArray;
import dev.eveflink.model.decoder.KvStore;

/**
 * The key/value store of a teacher-forced training forward: stores nothing and lets every query attend over
 * the same forward's keys and values (the mask decides which), so no in-place cache write enters the
 * autograd graph.
 */
public final class NoCacheKvStore implements KvStore {
    @Override
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        return new NDArray[] {k, v}; // [B, KvH, T, hd] each: S = T
    }

    @Override
    public void advance(int columns) {
        // nothing is kept between forwards
    }
}
