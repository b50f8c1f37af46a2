package io.stillwater.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.SourceServer;
import io.stillwater.TestImages;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web page at {@code /} in a real headless Chromium, against the whole service: a user enters the API key,
 * uploads an image through the file input, sees the job succeed and its thumbnail load; an error from the API
 * is shown in words; a CSV batch shows its progress until it completes; an operator signs in on the page and
 * replays a dead letter, which leaves the list while its job runs to success. Chromium and its driver are Debian's ({@code chromium}, {@code chromium-driver}); where
 * neither can be found the test is skipped and says so. Each step's screenshot is left in
 * {@code target/web-page/}.
 */
@ExtendWith(WebPageTest.NeedsChromium.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=web-page-test-operator",
    // The dead letter is made from the same image as the first job.
    "stillwater.cache.enabled=false",
    "camel.main.name=web-page-test"
})
class WebPageTest extends ServiceTest {

    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> CHROMEDRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final List<String> WORKERS = List.of("consume-urgent-jobs", "consume-normal-jobs",
            "consume-background-jobs");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Paths.get("target", "web-page");

    private static final SourceServer SOURCES = new SourceServer(TestImages.jpeg(400, 300));

    private static ChromeDriverService driverService;
    private static WebDriver browser;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConsumerTemplate consumer;

    private WebDriverWait waiting;

    /**
     * Runs the class only where Chromium and chromedriver are installed; elsewhere every test is reported
     * skipped with what is missing and how to install it, before the service is started for nothing.
     */
    static final class NeedsChromium implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String missing = missing();
            if (missing == null) {
                return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
            }
            System.err.println("WebPageTest skipped: " + missing);
            return ConditionEvaluationResult.disabled(missing);
        }
    }

    /** What of Chromium and chromedriver cannot be found, and how to install it; {@code null} when both can. */
    static String missing() {
        Path chromium = chromium();
        Path chromedriver = chromedriver();
        if (chromium != null && chromedriver != null) {
            return null;
        }
        return "the web page's browser test needs "
                + (chromium == null ? "Chromium (looked for " + String.join(", ", CHROMIUM) + " and chromium on the PATH)" : "")
                + (chromium == null && chromedriver == null ? " and " : "")
                + (chromedriver == null ? "chromedriver (looked for " + String.join(", ", CHROMEDRIVER)
                        + " and chromedriver on the PATH)" : "")
                + ": install Debian's packages with `apt-get install chromium chromium-driver` (.ci/run does when it "
                + "runs as root), or name them with -Dstillwater.test.chromium=… and -Dwebdriver.chrome.driver=…";
    }

    private static Path chromium() {
        return firstExisting(System.getProperty("stillwater.test.chromium"), CHROMIUM);
    }

    private static Path chromedriver() {
        return firstExisting(System.getProperty("webdriver.chrome.driver"), CHROMEDRIVER);
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        String missing = missing();
        Assumptions.assumeTrue(missing == null, missing);
        Path chromium = chromium();
        Path chromedriver = chromedriver();
        // The driver and browser named outright: Selenium Manager never looks for, or downloads, either.
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--disable-gpu", "--no-first-run", "--lang=en-GB");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(driverService, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("stillwater.fetch.allow-hosts", () -> "127.0.0.1:" + SOURCES.port());
    }

    @AfterAll
    static void stopBrowser() {
        SOURCES.close();
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
    }

    @BeforeEach
    void openThePage() throws Exception {
        for (String workers : WORKERS) {
            camel.getRouteController().startRoute(workers);
        }
        browser.manage().window().setSize(new Dimension(1280, 1100));
        browser.get("http://localhost:" + port + "/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        // The page redraws what it polls (job cards, dead-letter rows), replacing the elements a wait may
        // have just found: such a wait looks again rather than fail.
        waiting = new WebDriverWait(browser, WAIT);
        waiting.ignoring(StaleElementReferenceException.class);
        waiting.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    }

    @Test
    void anUploadedImageShowsItsJobSucceedingWithItsThumbnail() throws Exception {
        enterApiKey();
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-preset option[value='thumbnail']")));
        new Select(find("#job-preset")).selectByValue("thumbnail");
        new Select(find("#job-priority")).selectByValue("urgent");

        find("#job-file").sendKeys(resource("web/sunset.jpg").toString());
        find("#job-submit").click();

        String id = waiting.until(d -> blankToNull(find("#job-message").getDomAttribute("data-job-id")));
        By card = By.cssSelector("li.job[data-job-id='" + id + "']");
        long naturalWidth = succeededThumbnailWidth(id);
        screenshot("job-succeeded");

        JsonNode job = client().job(id);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("priority").asText()).isEqualTo("urgent");
        JsonNode rendition = job.path("outputs").get(0);
        assertThat(rendition.path("name").asText()).isEqualTo("thumbnail");
        assertThat(naturalWidth).isEqualTo(rendition.path("width").asLong());
        WebElement download = browser.findElement(card).findElement(By.cssSelector("a[download]"));
        assertThat(download.getDomAttribute("href")).contains(rendition.path("key").asText());
        assertThat(download.getDomAttribute("download")).endsWith("-thumbnail.jpg");
        assertThat(browser.findElement(card).findElement(By.cssSelector("a[target='_blank']")).getText())
                .isEqualTo("Open");
        // Nothing the page did was blocked by its Content Security Policy or threw.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).map(LogEntry::getMessage)
                .noneMatch(line -> line.contains("Content Security Policy") || line.contains("Uncaught"));
    }

    @Test
    void aStillRequestedFromTheCameraListBecomesAJobWithItsThumbnail() throws Exception {
        enterApiKey();
        By camera = By.cssSelector("#camera-list li[data-camera-id='pen-1']");
        waiting.until(ExpectedConditions.presenceOfElementLocated(camera));
        waiting.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#capture-preset option[value='thumbnail']")));
        new Select(find("#capture-camera")).selectByValue("pen-1");
        new Select(find("#capture-preset")).selectByValue("thumbnail");
        new Select(find("#capture-priority")).selectByValue("urgent");
        find("#capture-form button[type='submit']").click();

        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("capture-message"),
                "Capture requested from pen-1: 1 job"));
        JsonNode job = client().get("/api/v1/jobs?limit=20").body().path("items").findValues("id").stream()
                .map(JsonNode::asText).map(client()::job)
                .filter(candidate -> candidate.path("source").path("kind").asText().equals("camera")).findFirst()
                .orElseThrow();
        assertThat(job.path("source").path("cameraId").asText()).isEqualTo("pen-1");
        String id = job.path("id").asText();
        long naturalWidth = succeededThumbnailWidth(id);
        screenshot("camera-still-succeeded");
        JsonNode done = client().job(id);
        assertThat(done.path("priority").asText()).isEqualTo("urgent");
        assertThat(done.path("source").path("capturedAt").asText()).isNotBlank();
        assertThat(naturalWidth).isEqualTo(done.path("outputs").get(0).path("width").asLong());
        // Refreshed, the list shows the camera's last capture.
        waiting.until(d -> {
            find("#cameras-refresh").click();
            return !d.findElement(camera).getText().contains("last capture none");
        });
    }

    @Test
    void anErrorFromTheApiIsShownInWords() throws Exception {
        enterApiKey();

        find("#job-file").sendKeys(resource("web/not-an-image.jpg").toString());
        find("#job-submit").click();

        WebElement message = find("#job-message");
        waiting.until(ExpectedConditions.attributeContains(message, "class", "error"));
        screenshot("api-error");
        assertThat(message.getText()).startsWith("Unsupported Media Type (415): ").contains("(field: image)");
        assertThat(find("#job-file").getDomAttribute("aria-invalid")).isEqualTo("true");
        // The browser's log is read: it has the refused request (so its silence elsewhere means something).
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).map(LogEntry::getMessage)
                .anyMatch(line -> line.contains("/api/v1/jobs") && line.contains("415"));
    }

    @Test
    void anOperatorReplaysADeadLetterFromThePageAndItsJobSucceeds() throws Exception {
        String id = deadLetteredJob();
        browser.manage().window().setSize(new Dimension(360, 800));
        enterApiKey();

        find("#operator-user").clear();
        find("#operator-user").sendKeys("ops");
        find("#operator-password").sendKeys("a wrong password", Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("operator-message"), "(401)"));
        assertThat(find("#operator-message").getText()).contains("Check the operator user name and password");
        find("#operator-password").sendKeys("web-page-test-operator", Keys.ENTER);

        By row = By.cssSelector("#dead-letter-rows tr[data-job-id='" + id + "']");
        WebElement entry = waiting.until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(entry.getText()).contains("crash-loop");
        screenshot("dead-letters-360px");
        assertThat((Boolean) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling at 360 px")
                .isTrue();

        WebElement replay = browser.findElement(row).findElement(By.cssSelector("button.replay"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", replay);
        replay.sendKeys(Keys.ENTER);

        waiting.until(ExpectedConditions.invisibilityOfElementLocated(row));
        assertThat(find("#operator-message").getText()).isEqualTo("Job " + id + " replayed: queued again.");
        By card = By.cssSelector("li.job[data-job-id='" + id + "']");
        waiting.until(ExpectedConditions.attributeToBe(card, "data-status", "succeeded"));
        screenshot("replayed-job-succeeded");
        JsonNode job = client().job(id);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("history").findValuesAsText("detail")).contains("replayed by ops");
    }

    @Test
    void aCsvBatchShowsItsProgressUntilItCompletes() throws Exception {
        Path csv = Files.createTempFile("products", ".csv");
        Files.writeString(csv, "S. No.,Product Name,Input Image Urls\n"
                + "1,Lamp,\"%s, %s\"\n".formatted(SOURCES.url("/photo.jpg?side=front"), SOURCES.url("/photo.jpg?side=back"))
                + "2,Chair,%s\n".formatted(SOURCES.url("/missing.jpg")));
        enterApiKey();

        find("#batch-file").sendKeys(csv.toAbsolutePath().toString());
        new Select(find("#batch-priority")).selectByValue("urgent");
        find("#batch-form button[type='submit']").click();

        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("batch-message"),
                "Batch accepted: 2 product rows."));
        waiting.until(ExpectedConditions.attributeToBe(By.id("batch-progress"), "data-status", "completed"));
        screenshot("batch-completed");
        assertThat(find("#batch-summary").getText()).isEqualTo("completed: 3 of 3 done — 1 failed, 2 succeeded.");
        WebElement bar = find("#batch-bar");
        assertThat(bar.getDomProperty("value")).isEqualTo(bar.getDomProperty("max")).isEqualTo("3");
        String id = find("#batch-id").getText();
        assertThat(client().get("/api/v1/batches/" + id).body().path("status").asText()).isEqualTo("completed");
    }

    private void enterApiKey() {
        WebElement key = find("#api-key");
        key.clear();
        key.sendKeys(ServiceClient.TEST_API_KEY, Keys.ENTER);
        waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-message"), "Key accepted"));
    }

    /**
     * A job whose message came back once too often, dead-lettered unprocessed: its message is taken off the
     * queue while no worker runs and handed to the processing route as a broker's 99th delivery.
     */
    private String deadLetteredJob() throws Exception {
        for (String workers : WORKERS) {
            camel.getRouteController().stopRoute(workers);
        }
        String id = client().upload(Files.readAllBytes(resource("web/sunset.jpg")), "sunset.jpg", "image/jpeg", null)
                .body().path("id").asText();
        Exchange delivery = consumer.receive("jms:queue:stillwater.jobs.normal?selector=StillwaterJobId='" + id + "'",
                5_000);
        assertThat(delivery).as("the job's message").isNotNull();
        producer.sendBodyAndHeaders("direct:image-processing", id, Map.of("JMSXDeliveryCount", 99,
                "StillwaterRun", delivery.getMessage().getHeader("StillwaterRun", 1, Integer.class)));
        assertThat(client().job(id).path("status").asText()).isEqualTo("dead_lettered");
        for (String workers : WORKERS) {
            camel.getRouteController().startRoute(workers);
        }
        return id;
    }

    /**
     * Waits for the job's card to show {@code succeeded} and its thumbnail to load, and answers the
     * thumbnail's natural width. Looked up afresh on every try: the job list is redrawn as it is polled,
     * replacing its elements.
     */
    private long succeededThumbnailWidth(String id) {
        waiting.until(ExpectedConditions.attributeToBe(By.cssSelector("li.job[data-job-id='" + id + "']"),
                "data-status", "succeeded"));
        return waiting.until(d -> {
            Object width = ((JavascriptExecutor) d).executeScript("""
                    const img = document.querySelector(arguments[0]);
                    return img && img.complete ? img.naturalWidth : 0;""",
                    "li.job[data-job-id='" + id + "'] img.thumbnail");
            return ((Number) width).longValue() > 0 ? (Long) ((Number) width).longValue() : null;
        });
    }

    private WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(Objects.requireNonNull(WebPageTest.class.getClassLoader().getResource(name), name).toURI())
                .toAbsolutePath();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The configured path, else the first candidate that exists, else the first candidate's name on the PATH. */
    private static Path firstExisting(String configured, List<String> candidates) {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Paths.get(dir, Paths.get(candidates.get(0)).getFileName().toString()));
        return Stream.concat(Stream.concat(Stream.ofNullable(configured).map(Paths::get),
                        candidates.stream().map(Paths::get)), onPath)
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
