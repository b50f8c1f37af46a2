package io.stillwater.job;

/** A spec that cannot be accepted; names the offending field as a JSON path. */
public class InvalidSpecException extends RuntimeException {

    private final String field;

    public InvalidSpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
