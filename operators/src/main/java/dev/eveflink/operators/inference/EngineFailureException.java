package dev.eveflink.operators.inference;

/**
 * The engine failed as a whole (device lost, corrupt weights): the task must fail and restart
 * from its checkpoint, which replays the in-flight requests.
 */
public final class EngineFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineFailureException(String requestId, String device, Throwable cause) {
        super("engine on " + device + " failed while answering " + requestId + ": " + cause, cause);
    }
}
