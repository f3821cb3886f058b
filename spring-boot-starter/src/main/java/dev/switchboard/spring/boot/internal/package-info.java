/**
 * Internals of the Spring Boot starter: the bridge between Spring's WebSocket support and the core's
 * transport SPI. Not an API: anything here may change in any release.
 */
package dev.switchboard.spring.boot.internal;
