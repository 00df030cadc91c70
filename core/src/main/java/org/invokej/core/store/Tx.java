package org.invokej.core.store;

/**
 * An open unit of work on the store. Repositories take one so that several of them can act inside the
 * same transaction (a user update and its audit entry commit together, or not at all). Only the store
 * implementation knows what is inside.
 */
public interface Tx {
}
