/**
 * CloudEvents 1.0 in Switchboard: the handler type of {@code Switchboard.onCloudEvent} and helpers to
 * read an event's data as JSON. Events are the CloudEvents Java SDK's {@link io.cloudevents.CloudEvent}.
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.cloudevents;
