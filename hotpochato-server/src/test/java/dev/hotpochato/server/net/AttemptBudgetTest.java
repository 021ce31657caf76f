package dev.hotpochato.server.net;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A burst of attempts, then one per period/burst; what is given back is taken again. Time is handed in. */
class AttemptBudgetTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBurstThenOneEachIntervalAndNeverMoreThanTheBurst() {
        long now = 1_000 * SECOND;
        AttemptBudget budget = new AttemptBudget(3, 1, TimeUnit.MINUTES, now); // one back every 20 s
        assertTrue(budget.tryTake(now));
        assertTrue(budget.tryTake(now));
        assertTrue(budget.tryTake(now));
        assertFalse(budget.tryTake(now));
        assertFalse(budget.tryTake(now + 19 * SECOND));
        assertTrue(budget.tryTake(now + 20 * SECOND));
        assertFalse(budget.tryTake(now + 20 * SECOND));
        assertTrue(budget.isWhole(now + 80 * SECOND));
        long later = now + 3600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.tryTake(later));
        }
        assertFalse(budget.tryTake(later), "an hour's silence saves up no more than the burst");
    }

    @Test
    void anAttemptGivenBackCanBeTakenAgain() {
        long now = 0;
        AttemptBudget budget = new AttemptBudget(1, 1, TimeUnit.MINUTES, now);
        assertTrue(budget.tryTake(now));
        assertFalse(budget.tryTake(now));
        budget.giveBack();
        assertTrue(budget.tryTake(now));
    }

    @Test
    void theAddressAndTheSessionAreChargedTogetherOrNotAtAll() {
        long now = 0;
        AddressLedger ledger = new AddressLedger(10, 10, 1, now);
        AddressLedger.Place place = ledger.admit(NetFixture.address("10.0.0.1").getAddress(), now);
        AttemptBudget session = new AttemptBudget(2, 1, TimeUnit.MINUTES, now);
        assertTrue(AddressLedger.tryAttempt(session, place, now));
        assertFalse(AddressLedger.tryAttempt(session, place, now), "the address has no more");
        assertTrue(session.tryTake(now), "and the session was not charged for the refused one");
        AddressLedger.attemptSucceeded(null, place);
        assertTrue(AddressLedger.tryAttempt(null, place, now));
    }

    @Test
    void anAddressKeepsItsAllowanceAfterItsLastConnectionUntilItIsWhole() {
        long now = 0;
        AddressLedger ledger = new AddressLedger(10, 10, 1, now);
        var address = NetFixture.address("10.0.0.1").getAddress();
        AddressLedger.Place first = ledger.admit(address, now);
        assertTrue(AddressLedger.tryAttempt(null, first, now));
        first.release();
        AddressLedger.Place again = ledger.admit(address, now + SECOND);
        assertFalse(AddressLedger.tryAttempt(null, again, now + SECOND), "closing every connection renews nothing");
        again.release();
        assertTrue(ledger.addresses() == 1);
        ledger.admit(NetFixture.address("10.0.0.2").getAddress(), now + 120 * SECOND).release(); // the sweep runs
        assertTrue(ledger.addresses() <= 1, "the whole, unused account of 10.0.0.1 was forgotten");
    }
}
