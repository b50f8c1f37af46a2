package io.stillwater.processing;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.MemoryBudget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One memory budget per process, shared by the renderer and intake ({@code stillwater.engine.memory-budget}). */
@Configuration
class MemoryBudgetConfiguration {

    @Bean
    MemoryBudget memoryBudget(StillwaterProperties properties) {
        return new MemoryBudget(properties.engine().memoryBudgetBytes());
    }
}
