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
    YES,
    NO,
    UNKNOWN
}
