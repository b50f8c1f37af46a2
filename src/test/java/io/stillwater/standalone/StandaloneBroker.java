package io.stillwater.standalone;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Apache Artemis broker made the way {@code artemis-config/README.md} tells an operator to:
 * {@code artemis create} from the real distribution with an administrator of role {@code operator} and
 * logins required, the project's {@code broker.xml} copied over the generated one, {@code artemis run},
 * then {@code artemis user add} for the services' account of role {@code service}. It listens on
 * loopback only, on free ports, and its instance (configuration, journal, {@code log/artemis.log}) stays
 * in the given directory for inspection.
 */
public final class StandaloneBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneBroker.class);

    private static final String OPERATOR = "operator";
    private static final String SERVICE_USER = "stillwater";

    private final Path instance;
    private final int port;
    private final String operatorPassword;
    private final String servicePassword;
    private final Process process;

    private StandaloneBroker(Path instance, int port, String operatorPassword, String servicePassword,
            Process process) {
        this.instance = instance;
        this.port = port;
        this.operatorPassword = operatorPassword;
        this.servicePassword = servicePassword;
        this.process = process;
    }

    /**
     * Creates an instance in {@code instance} (which must not exist yet) from the distribution unpacked at
     * {@code artemisHome}, with {@code brokerXml} as its configuration, starts it and adds the service
     * account. Returns once the account exists.
     */
    public static StandaloneBroker start(Path artemisHome, Path brokerXml, Path instance) throws IOException {
        int port = LocalProcesses.freePort();
        int consolePort = LocalProcesses.freePort();
        String operatorPassword = LocalProcesses.secret();
        Files.createDirectories(instance.getParent());
        // --no-autotune: the generated broker.xml, which autotune would adjust, is replaced anyway.
        // --java-memory: a heap above broker.xml's global-max-size (512M), smaller than the default 2G.
        // The acceptor's address and port reach broker.xml as system properties of the broker JVM.
        artemis(artemisHome.resolve("bin/artemis"), instance.resolveSibling(instance.getFileName() + "-create.log"),
                "create", instance.toString(),
                "--user", OPERATOR, "--password", operatorPassword, "--role", "operator", "--require-login",
                "--silent", "--no-autotune", "--http-host", "127.0.0.1", "--http-port", Integer.toString(consolePort),
                "--java-memory", "1G",
                "--java-options=-Dstillwater.acceptor.host=127.0.0.1",
                "--java-options=-Dstillwater.acceptor.port=" + port);
        Files.copy(brokerXml, instance.resolve("etc/broker.xml"), StandardCopyOption.REPLACE_EXISTING);

        ProcessBuilder run = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run")
                .directory(instance.toFile())
                .redirectErrorStream(true)
                .redirectOutput(instance.resolve("log/run.out").toFile());
        LocalProcesses.cleanEnvironment(run);
        Process process = LocalProcesses.track(run.start());
        StandaloneBroker broker = new StandaloneBroker(instance, port, operatorPassword, LocalProcesses.secret(),
                process);
        try {
            broker.awaitAcceptor();
            broker.addServiceUser();
        } catch (RuntimeException | IOException e) {
            broker.close();
            throw e;
        }
        log.info("Standalone Artemis broker running at {}, instance {}", broker.url(), instance);
        return broker;
    }

    /** The acceptor, for {@code spring.artemis.broker-url}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The services' account, role {@code service}. */
    public String serviceUser() {
        return SERVICE_USER;
    }

    public String servicePassword() {
        return servicePassword;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Holds back delivery on every address whose name starts with {@code prefix}, through the management
     * API with the operator's login: messages sent there are kept in their queues, consumers get none until
     * {@link #resume}. It lets a test build up a backlog whatever the speed of the machine.
     *
     * @return the addresses paused
     */
    public List<String> pause(String prefix) {
        return manageAddresses(prefix, "pause");
    }

    /** Delivers again on every address whose name starts with {@code prefix}. */
    public List<String> resume(String prefix) {
        return manageAddresses(prefix, "resume");
    }

    private List<String> manageAddresses(String prefix, String operation) {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url());
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(OPERATOR, operatorPassword, false, true, true, false, 0);
                ClientRequestor management = new ClientRequestor(session, "activemq.management")) {
            session.start();
            List<String> done = new ArrayList<>();
            for (Object address : (Object[]) invoke(session, management, ResourceNames.BROKER, "getAddressNames")) {
                if (address.toString().startsWith(prefix)) {
                    invoke(session, management, ResourceNames.ADDRESS + address, operation);
                    done.add(address.toString());
                }
            }
            return done;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " of the addresses " + prefix + "* failed", e);
        }
    }

    private static Object invoke(ClientSession session, ClientRequestor management, String resource, String operation)
            throws Exception {
        ClientMessage request = session.createMessage(false);
        ManagementHelper.putOperationInvocation(request, resource, operation);
        ClientMessage reply = management.request(request, 30_000);
        if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
            throw new IllegalStateException(operation + " on " + resource + " failed: "
                    + (reply == null ? "no answer" : ManagementHelper.getResult(reply)));
        }
        return ManagementHelper.getResult(reply);
    }

    /** Stops the broker with {@code artemis stop}, as an operator would; forcibly if it does not end in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            artemis(instance.resolve("bin/artemis"), instance.resolve("log/stop.out"), "stop");
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                log.warn("Broker did not stop within 60 s of `artemis stop`; terminating it");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("`artemis stop` failed; terminating the broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LocalProcesses.terminate(process, Duration.ofSeconds(30));
        }
    }

    private void awaitAcceptor() {
        await("broker acceptor on " + url()).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the broker exited with " + process.exitValue() + ":\n"
                                + LocalProcesses.tail(instance.resolve("log/run.out"), 40));
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** {@code artemis user add}, which goes through the management API and needs the operator's login. */
    private void addServiceUser() throws IOException {
        Path output = instance.resolve("log/user-add.out");
        artemis(instance.resolve("bin/artemis"), output, "user", "add", "--url", url(),
                "--user", OPERATOR, "--password", operatorPassword,
                "--user-command-user", SERVICE_USER, "--user-command-password", servicePassword,
                "--role", "service");
        // The command exits 0 even when it refuses (for example when the user exists): read what it said.
        String said = Files.readString(output, StandardCharsets.UTF_8);
        if (!said.contains(SERVICE_USER + " added successfully")) {
            throw new IllegalStateException("artemis user add did not add " + SERVICE_USER + ":\n" + said);
        }
    }

    /** Runs an {@code artemis} command to its end, output in {@code output}; fails unless it exits 0. */
    private static void artemis(Path script, Path output, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        LocalProcesses.cleanEnvironment(builder);
        Process process = LocalProcesses.track(builder.start());
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("artemis " + arguments[0] + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            LocalProcesses.terminate(process, Duration.ofSeconds(5));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("artemis " + arguments[0] + " exited with " + process.exitValue() + ":\n"
                    + LocalProcesses.tail(output, 40));
        }
    }
}
