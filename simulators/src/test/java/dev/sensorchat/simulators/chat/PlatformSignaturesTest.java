package dev.sensorchat.simulators.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The client's signatures against values from outside this code: Slack's own example and openssl. */
class PlatformSignaturesTest {

    @Test
    void slackSignatureMatchesSlacksPublishedExample() {
        // The worked example of Slack's "Verifying requests from Slack" guide.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertEquals("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                SlackClient.sign("8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8), 1531420618, body));
    }

    @Test
    void genericSignatureMatchesTheReadmesOpensslRecipe() {
        // printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex
        String body = "{\"messageId\":\"m-1\",\"conversationId\":\"ops\",\"userId\":\"ana\",\"text\":\"status boiler-1\"}";
        assertEquals("v1=34ebd9d23a3e119b0a2888f1d097b55ebeb0131cad0ed4cc6e051e79f26f4483",
                GenericClient.sign("generic-secret".getBytes(StandardCharsets.UTF_8), 1700000000, body));
    }

    @Test
    void teamsSignatureIsKeyedWithTheDecodedSecurityToken() {
        // openssl dgst -sha256 -mac HMAC -macopt hexkey:<decoded token> -binary | base64
        String token = "dGVhbXMta2V5LTAxMjM0NTY3ODlhYmNkZWY=";
        String body = "{\"type\":\"message\",\"text\":\"<at>Sensorchat</at> help\"}";
        assertEquals("HMAC zR00uuL4GrEYS1pZzEnAXVCCJZbWExvogkwBA5IeFlk=", TeamsClient.sign(Base64.getDecoder().decode(token), body));
    }
}
