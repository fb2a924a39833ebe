package dev.eveflink.model;

/**
 * How often one model encoded an image and ran the decoder: lets tests prove that work was shared
 * (one image encode for K questions) without timing anything. Belongs to one {@link EveModel}; like
 * the model, used from one thread.
 */
final class ForwardCounts {
    private long imageEncodes;
    private long forwards;

    void imageEncoded() {
        imageEncodes++;
    }

    void forwardRan() {
        forwards++;
    }

    /** Images run through the patch embedding layer so far. */
    long imageEncodes() {
        return imageEncodes;
    }

    /** Decoder forwards (prefills, decode steps, suffix passes) so far. */
    long forwards() {
        return forwards;
    }
}
