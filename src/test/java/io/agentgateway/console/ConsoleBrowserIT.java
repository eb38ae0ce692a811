package io.agentgateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser (Debian's headless Chromium through its chromedriver): the
 * quickstart config runs, the README's calls are sent (a success, a 403, a 429), and the page is
 * read the way a person would: the namespace's budget use, the refusals in the audit tail, a new
 * event arriving live, and the simulator naming the same policy as the API's 403. A screenshot of
 * each view is written to {@code target/console-screenshots/} (and to {@code docs/images/} with
 * {@code -Dconsole.screenshots=docs}). Nothing is downloaded: the driver and browser are the
 * installed ones, so Selenium Manager never runs.
 */
class ConsoleBrowserIT {
    static final String DEV_KEY = "sk-dev-team-demo";
    static final String PROD_KEY = "sk-production-demo";
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    static final MinuteClock clock = new MinuteClock();
    static TestGateway gateway;
    static WebDriver browser;
    static Path profile;
    static String forbiddenMessage;

    @BeforeAll
    static void start() throws Exception {
        String quickstart = Files.readString(Path.of("examples/quickstart.yaml"))
                .replaceAll("(?m)^(\\s*)port: \\d+", "$1port: 0");
        gateway = TestGateway.withConsole(quickstart, Map.of(), clock);
        // The quickstart's request budget has a one-minute window aligned to the minute: the
        // gateway's clock moves on to just past a minute boundary, so the calls below and the page
        // that shows them fall in one window however slow this machine is.
        clock.startAMinute();

        for (int i = 0; i < 3; i++) {
            assertThat(chat(DEV_KEY, "gpt-4").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> forbidden = chat(PROD_KEY, "gpt-4o");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        forbiddenMessage = json.readTree(forbidden.body()).path("error").path("message").asText();
        int last = 0;
        for (int i = 0; i < 6 && last != 429; i++) {
            last = chat(PROD_KEY, "gpt-4").statusCode();
        }
        assertThat(last).isEqualTo(429);

        profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1500,1000", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1500, 1000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static HttpResponse<String> chat(String key, String model) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Real time, moved forward (never back) to the start of a minute when asked. */
    static final class MinuteClock extends Clock {
        private volatile long offsetMillis;

        void startAMinute() {
            long now = millis();
            offsetMillis += 60_000 - now % 60_000 + 200;
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @Test
    void consoleShowsUsageRefusalsTheLiveTailAndExplainsTheRefusal() throws Exception {
        try {
            drive();
        } catch (Exception | AssertionError e) {
            screenshot("failure.png"); // what the page showed, next to the surefire report
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER).getAll()) {
                System.err.println("browser: " + entry);
            }
            throw e;
        }
    }

    void drive() throws Exception {
        browser.get(gateway.adminUrl() + "/ui");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/");

        // Namespaces: each demo namespace's use of its budget, from the gateway's counters.
        WebElement prodRule = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-namespace='production'] [data-rule='prod-requests'] .usage")));
        assertThat(prodRule.getText()).isEqualTo("5 / 5");
        WebElement devRule = browser.findElement(By.cssSelector("[data-namespace='dev-team'] [data-rule='dev-team-budget'] .usage"));
        long devTokens = Long.parseLong(devRule.getText().split(" / ")[0].replace(",", ""));
        assertThat(devTokens).isPositive();
        assertThat(devRule.getText()).endsWith(" / 1,000,000");
        String production = browser.findElement(By.cssSelector("[data-namespace='production']")).getText();
        assertThat(production).contains("policy default").contains("rule prod-requests").contains("gpt-4");
        waiting().until(d -> !d.findElements(By.cssSelector("[data-namespace='dev-team'] .uplot")).isEmpty());
        screenshot("console-namespaces.png");

        // Audit: the 403 and the 429 are in the tail, each expandable to the whole event.
        browser.findElement(By.id("tab-audit")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#audit-rows tr[data-status='429']")));
        WebElement refused = browser.findElement(By.cssSelector("#audit-rows tr[data-status='403']"));
        assertThat(refused.getText()).contains("production").contains("model:gpt-4o").contains("deny");
        int before = browser.findElements(By.cssSelector("#audit-rows tr.event")).size();
        // A new call shows up without reloading the page.
        assertThat(chat(DEV_KEY, "gpt-4o-mini").statusCode()).isEqualTo(200);
        waiting().until(d -> d.findElements(By.cssSelector("#audit-rows tr.event")).size() > before);
        assertThat(browser.findElement(By.cssSelector("#audit-rows tr.event")).getText()).contains("model:gpt-4o-mini");
        browser.findElement(By.cssSelector("#audit-rows tr[data-status='403']")).click();
        WebElement detail = waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//tr[@data-status='403']/following-sibling::tr[1]//pre")));
        assertThat(detail.getText()).contains("\"prev_hash\"").contains("\"policy\": \"default\"");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("chain"), "intact"));
        screenshot("console-audit.png");

        // Filters: only refusals of production.
        browser.findElement(By.id("f-namespace")).sendKeys("production");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-decision"))).selectByVisibleText("deny");
        browser.findElement(By.cssSelector("#audit-filters button[type=submit]")).click();
        waiting().until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#audit-rows tr.event"));
            return rows.size() == 1 && "403".equals(rows.get(0).getAttribute("data-status"));
        });

        // Why?: the simulator names the policy the API's 403 named.
        Matcher named = Pattern.compile("\\(policy ([^)]+)\\)").matcher(forbiddenMessage);
        assertThat(named.find()).as("the 403 names its policy: " + forbiddenMessage).isTrue();
        browser.findElement(By.id("tab-why")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("why-namespace"))).sendKeys("production");
        browser.findElement(By.id("why-resource")).sendKeys("model:gpt-4o");
        browser.findElement(By.id("why-submit")).click();
        WebElement policy = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("why-policy")));
        assertThat(policy.getText()).isEqualTo(named.group(1));
        assertThat(browser.findElement(By.id("why-verdict")).getText()).isEqualTo("DENY");
        assertThat(browser.findElement(By.id("why-refusal")).getText()).contains(forbiddenMessage);
        screenshot("console-why.png");

        // Configuration: permissions, the running config with key hashes redacted, reload history.
        browser.findElement(By.id("tab-config")).click();
        WebElement config = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("running-config")));
        waiting().until(d -> config.getText().contains("\"key_hash\""));
        assertThat(config.getText()).doesNotContain("c8ede621475fd3941568851c11df9c04633f61c457fc2b022d16c6bd02828883");
        assertThat(browser.findElement(By.id("permissions")).getText()).contains("prod-policy").contains("dev-policy");
        assertThat(browser.findElement(By.id("reloads")).getText()).contains("started");
        screenshot("console-config.png");

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("browser console errors (a CSP violation shows here)").isEmpty();
    }

    static void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path dir = Path.of("target/console-screenshots");
        Files.createDirectories(dir);
        Files.copy(shot, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        if ("docs".equals(System.getProperty("console.screenshots")) && !name.equals("failure.png")) {
            Files.createDirectories(Path.of("docs/images"));
            Files.copy(shot, Path.of("docs/images", name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
