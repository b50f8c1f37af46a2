package io.stillwater.processing;

import io.stillwater.config.StillwaterProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The name this service instance gives itself in a job's history ({@code attempt 1 on <name>}), so that
 * with several instances on one queue each job tells which one worked on it. It is
 * {@code stillwater.instance-id}, or {@code <pid>@<host name>} when that is empty, which tells apart
 * instances on one machine as well as containers on one network.
 */
@Component("instanceId")
public class InstanceId {

    private final String value;

    public InstanceId(StillwaterProperties properties) {
        this.value = StringUtils.hasText(properties.instanceId()) ? properties.instanceId().strip() : fallback();
    }

    public String value() {
        return value;
    }

    static String fallback() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
