/**
 * Authenticating Switchboard clients with JSON Web Tokens: {@link dev.switchboard.auth.jwt.JwtAuthenticator}
 * and its {@link dev.switchboard.auth.jwt.JwtAuthenticatorOptions}. Nothing here is null unless documented.
 */
package dev.switchboard.auth.jwt;
