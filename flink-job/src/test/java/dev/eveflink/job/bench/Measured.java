package dev.eveflink.job.bench;

/**
 * One throughput measurement.
 *
 * @param eventsPerSecond the steady rate
 * @param events the completions it counted
 * @param notOk events whose result was not OK (there should be none)
 */
record Measured(double eventsPerSecond, int events, int notOk) {}
