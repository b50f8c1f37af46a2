package io.stillwater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stillwater.embedded.EmbeddedBrokerConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.HierarchicalRepository;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.HierarchicalObjectRepository;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The standalone broker ({@code artemis-config/broker.xml}) and the embedded one behave alike: every
 * address in either has a dead-letter address (without one Artemis drops a message after its last
 * delivery attempt), the job queues carry the same delivery settings in both, and duplicate
 * detection drops a second message for the same job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "camel.main.name=broker-settings-test"
})
class BrokerSettingsTest extends ServiceTest {

    private static final List<String> JOB_QUEUES =
            List.of("stillwater.jobs.urgent", "stillwater.jobs.normal", "stillwater.jobs.background");

    @Autowired
    EmbeddedActiveMQ embedded;

    @Autowired
    ProducerTemplate producer;

    private final FileConfiguration standalone = EmbeddedBrokerConfiguration.readBrokerXml();
    private final HierarchicalRepository<AddressSettings> standaloneSettings = settingsOf(standalone);

    @Test
    void everyAddressOfTheStandaloneBrokerHasADeadLetterAddress() {
        List<String> addresses = standalone.getAddressConfigurations().stream()
                .map(CoreAddressConfiguration::getName).toList();

        assertThat(addresses).contains("DLQ", "ExpiryQueue").containsAll(JOB_QUEUES);
        assertThat(addresses).contains("stillwater.webhooks", "stillwater.webhooks.DLQ", "stillwater.captures");
        // Declared addresses, and ones a client might create later.
        assertThat(concat(addresses, List.of("stillwater.other", "anything.else")))
                .allSatisfy(address -> assertThat(String.valueOf(standaloneSettings.getMatch(address).getDeadLetterAddress()))
                        .as("dead-letter address of %s", address).isEqualTo(deadLetterAddressOf(address)));
    }

    @Test
    void everyAddressOfTheEmbeddedBrokerHasADeadLetterAddress() throws Exception {
        ActiveMQServer server = embedded.getActiveMQServer();
        List<String> addresses = server.getPostOffice().getAddresses().stream().map(SimpleString::toString).toList();

        assertThat(addresses).containsAll(JOB_QUEUES).contains("DLQ", "ExpiryQueue", "stillwater.captures");
        assertThat(addresses).allSatisfy(address ->
                assertThat(String.valueOf(server.getAddressSettingsRepository().getMatch(address).getDeadLetterAddress()))
                        .as("dead-letter address of %s", address).isEqualTo(deadLetterAddressOf(address)));
    }

    /** Webhook notifications have a dead-letter queue of their own; everything else shares DLQ. */
    private static String deadLetterAddressOf(String address) {
        return address.equals("stillwater.webhooks") ? "stillwater.webhooks.DLQ" : "DLQ";
    }

    @Test
    void theJobQueuesHaveTheSameDeliverySettingsEmbeddedAndStandalone() {
        HierarchicalRepository<AddressSettings> embeddedSettings = embedded.getActiveMQServer().getAddressSettingsRepository();

        for (String queue : JOB_QUEUES) {
            AddressSettings inService = embeddedSettings.getMatch(queue);
            AddressSettings onBroker = standaloneSettings.getMatch(queue);
            assertThat(String.valueOf(inService.getExpiryAddress())).isEqualTo(String.valueOf(onBroker.getExpiryAddress()))
                    .isEqualTo("ExpiryQueue");
            assertThat(inService.getRedeliveryDelay()).isEqualTo(onBroker.getRedeliveryDelay()).isPositive();
            assertThat(inService.getRedeliveryMultiplier()).isEqualTo(onBroker.getRedeliveryMultiplier());
            assertThat(inService.getMaxRedeliveryDelay()).isEqualTo(onBroker.getMaxRedeliveryDelay());
            assertThat(inService.getMaxDeliveryAttempts()).isEqualTo(onBroker.getMaxDeliveryAttempts()).isPositive();
            assertThat(inService.getDefaultConsumerWindowSize()).isEqualTo(onBroker.getDefaultConsumerWindowSize()).isZero();
            assertThat(inService.getPageFullMessagePolicy()).isEqualTo(onBroker.getPageFullMessagePolicy()).isNotNull();
        }
        // Delivery counts survive a killed process in both, or the crash-loop guard would not see crashes.
        assertThat(embedded.getActiveMQServer().getConfiguration().isPersistDeliveryCountBeforeDelivery())
                .isEqualTo(standalone.isPersistDeliveryCountBeforeDelivery()).isTrue();
    }

    /**
     * The edge role's outbox keeps its place in priority order after a failed upload (no redelivery
     * delay) and never dead-letters, however long the link is down (no delivery limit); in both brokers.
     */
    @Test
    void theOutboxNeverDeadLettersAndRedeliversInPlaceEmbeddedAndStandalone() {
        String outbox = "stillwater.outbox";
        AddressSettings inService = embedded.getActiveMQServer().getAddressSettingsRepository().getMatch(outbox);
        AddressSettings onBroker = standaloneSettings.getMatch(outbox);

        assertThat(standalone.getAddressConfigurations().stream().map(CoreAddressConfiguration::getName)).contains(outbox);
        assertThat(inService.getMaxDeliveryAttempts()).isEqualTo(onBroker.getMaxDeliveryAttempts()).isEqualTo(-1);
        assertThat(inService.getRedeliveryDelay()).isEqualTo(onBroker.getRedeliveryDelay()).isZero();
        assertThat(inService.getDefaultConsumerWindowSize()).isEqualTo(onBroker.getDefaultConsumerWindowSize()).isZero();
        assertThat(String.valueOf(inService.getDeadLetterAddress())).isEqualTo("DLQ");
    }

    @Test
    void aSecondMessageForTheSameJobIsDroppedByDuplicateDetection() throws Exception {
        String queue = "stillwater.jobs.background";
        long before = embedded.getActiveMQServer().locateQueue(queue).getMessageCount();

        for (int i = 0; i < 2; i++) {
            producer.sendBodyAndHeader("jms:queue:" + queue, "job-42", "_AMQ_DUPL_ID", "job-42");
        }

        // The queue counts a message once it has added it, on its own thread: wait for the first, then see
        // the count stay there, so a second message counted late would fail the test too.
        await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(500))
                .until(() -> embedded.getActiveMQServer().locateQueue(queue).getMessageCount() == before + 1);
    }

    /** Address settings resolved as the broker resolves them: the matches merged, most specific first. */
    private static HierarchicalRepository<AddressSettings> settingsOf(FileConfiguration configuration) {
        HierarchicalObjectRepository<AddressSettings> repository =
                new HierarchicalObjectRepository<>(configuration.getWildcardConfiguration());
        repository.setDefault(new AddressSettings());
        configuration.getAddressSettings().forEach(repository::addMatch);
        return repository;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
