package ai.bellm.operator.app;

import ai.bellm.events.KafkaClientProperties;
import ai.bellm.experiment.workflow.KafkaModelEvents;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Promotions announced on Kafka ({@code bellm.operator.kafka.*}). */
public class ModelEventsProducer {

    @Produces
    @Singleton
    KafkaModelEvents events(OperatorConfig config) {
        return new KafkaModelEvents(config.kafka().bootstrapServers(), config.kafka().topic(), config.kafka().timeout(),
                KafkaClientProperties.load(config.kafka().clientPropertiesFile()));
    }

    void close(@Disposes KafkaModelEvents events) {
        events.close();
    }
}
