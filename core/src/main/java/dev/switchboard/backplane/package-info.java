/**
 * The backplanes that need no server: LocalBackplane (single node, the default) and InMemoryBackplane (several nodes in one JVM).
 *
 * <p>Nullability: parameters and return values are non-null unless documented otherwise.
 */
package dev.switchboard.backplane;
