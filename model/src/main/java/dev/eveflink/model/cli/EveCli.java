package dev.eveflink.model.cli;

/** Placeholder replaced by the real command line. */
public final class EveCli {
    private EveCli() {}

    public static void main(String[] args) {
        System.exit(2);
    }
}
