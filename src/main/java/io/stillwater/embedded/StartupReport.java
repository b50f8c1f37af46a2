package io.stillwater.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Says at start-up where the job store lives and where the API listens, beside the broker's and the
 * object store's own lines, so an operator sees every part and its data in the log.
 */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final Environment environment;
    private final DataSource dataSource;

    StartupReport(Environment environment, DataSource dataSource) {
        this.environment = environment;
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        String url = environment.getProperty("spring.datasource.url", "");
        String product = new JdbcTemplate(dataSource).execute(
                (Connection c) -> c.getMetaData().getDatabaseProductName());
        if (url.startsWith("jdbc:h2:file:")) {
            Path files = Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0] + ".mv.db");
            log.info("Embedded H2 job store ({}), database file {}", url, files.toAbsolutePath().normalize());
        } else {
            log.info("Job store: {} at {}", product, url);
        }
        log.info("Stillwater API listening on http://localhost:{}/api/v1/jobs",
                environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")));
    }
}
