package io.brook.push;

/** Whether a push subscription delivers ({@code ACTIVE}) or waits, its offsets kept ({@code PAUSED}). */
public enum SubscriptionState {
    ACTIVE,
    PAUSED
}
