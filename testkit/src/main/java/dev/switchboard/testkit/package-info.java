/**
 * Compatibility kits for implementations of Switchboard's SPIs. A backplane module's tests extend
 * {@link dev.switchboard.testkit.BackplaneCompatibilityKit} and so prove the same contract as every
 * other backplane. Depend on this module with test scope.
 */
package dev.switchboard.testkit;
