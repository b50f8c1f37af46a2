package io.stillwater.job;

/**
 * The object store, the job store or the broker could not take the job; nothing was accepted and the
 * client may try again.
 */
public class IntakeUnavailableException extends RuntimeException {

    public IntakeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
