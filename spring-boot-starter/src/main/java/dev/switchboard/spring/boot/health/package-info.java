/** Spring Boot 4's health API: the {@code switchboard} health component. Everything here is non-null. */
package dev.switchboard.spring.boot.health;
