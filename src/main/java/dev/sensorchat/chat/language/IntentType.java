package dev.sensorchat.chat.language;

/** What a message asks for. */
public enum IntentType {
    HELP,
    DEVICES,
    STATUS,
    METRIC,
    /** "what about boiler-2?": the previous question, for another device. */
    OTHER_DEVICE,
    ALERTS,
    ACK,
    RESOLVE,
    RULES,
    CREATE_RULE,
    DELETE_RULE,
    SUBSCRIBE,
    UNSUBSCRIBE,
    SUBSCRIPTIONS,
    /** "report yesterday", "report for boiler-1 last week": a fleet report and a link to it. */
    REPORT,
    YES,
    NO,
    UNKNOWN,
    /** Understood, but not usable as written (markup in it, a range longer than the data kept): says why. */
    UNUSABLE
}
