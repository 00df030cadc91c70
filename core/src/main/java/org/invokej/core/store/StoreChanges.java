package org.invokej.core.store;

import java.util.OptionalLong;

/**
 * Tells whether anything was committed to the store since an earlier look, by this process or by any
 * other (the command line, {@code sqlite3}). What is derived from stored rows may be kept for as long as
 * the answer stays the same; that is how a change made elsewhere is still seen by the very next request.
 */
public interface StoreChanges {

    /**
     * A number that stays the same while nothing is committed and changes once anything is; empty when
     * the store cannot tell, and then nothing may be kept.
     */
    OptionalLong current();

    /** For stores that cannot tell: nothing derived from them is ever kept. */
    StoreChanges UNKNOWN = OptionalLong::empty;
}
