package dev.eveflink.operators.inference;

/** Whether results leave the async operator in input order. */
public enum OutputOrder {
    /** As soon as each completes (watermarks still hold); higher throughput. */
    UNORDERED,
    /** In input order: one slow request holds back the ones behind it. */
    ORDERED
}
