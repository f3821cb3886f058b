/** Internals of the JWT authenticator: key selection, EdDSA on the JDK, claim paths. Not an API. */
package dev.switchboard.auth.jwt.internal;
