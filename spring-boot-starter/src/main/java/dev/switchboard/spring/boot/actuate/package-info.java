/** Actuator support: the {@code switchboard} health component. Everything here is non-null. */
package dev.switchboard.spring.boot.actuate;
