/**
 * Kafka for Switchboard: {@link dev.switchboard.backplane.kafka.KafkaEventSource}, which consumes Kafka topics
 * and routes each record like the emit API does (emit messages and CloudEvents in Kafka's binary and structured
 * bindings), and {@link dev.switchboard.backplane.kafka.KafkaBackplane}, which connects the nodes of a cluster
 * through a Kafka topic and keeps durable topics' history on the log. The official {@code kafka-clients}
 * underneath.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane.kafka;
