package io.stillwater.webhook;

/** A receiver that did not acknowledge a notification with a 2xx: the broker delivers it again later. */
public class WebhookNotDeliveredException extends RuntimeException {

    public WebhookNotDeliveredException(String message) {
        super(message);
    }
}
