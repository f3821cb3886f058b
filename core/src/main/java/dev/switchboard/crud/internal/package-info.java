/**
 * The CRUD service and JSON Patch handling; not API, may change in any release.
 */
package dev.switchboard.crud.internal;
