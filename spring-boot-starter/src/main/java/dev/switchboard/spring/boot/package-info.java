/**
 * Spring Boot auto-configuration for Switchboard: a {@link dev.switchboard.Switchboard} node built from
 * {@code switchboard.*} properties ({@link dev.switchboard.spring.boot.SwitchboardProperties}) and the
 * application's beans, its WebSocket endpoint mounted in Boot's own servlet container, Actuator health,
 * Micrometer metrics and graceful shutdown. Handlers are registered through
 * {@link dev.switchboard.spring.boot.SwitchboardConfigurer} beans.
 *
 * <p>Everything here is non-null unless documented otherwise.
 */
package dev.switchboard.spring.boot;
