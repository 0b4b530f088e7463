package dev.sensorchat.simulators;

import dev.sensorchat.simulators.chat.ChatCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar sensorchat-simulators.jar devices|chat|bench ...} */
@Command(name = "sensorchat-simulators", mixinStandardHelpOptions = true, version = "sensorchat-simulators 0.1.0",
        description = "Simulated device fleets and a chat client for sensorchat.",
        subcommands = {DevicesCommand.class, ChatCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:events or messages failed", "2:invalid options", "130:stopped by Ctrl-C (SIGINT)", "143:stopped by SIGTERM"})
public final class SimulatorsCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with exit codes for bad options set the same everywhere. */
    public static CommandLine commandLine() {
        return new CommandLine(new SimulatorsCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
