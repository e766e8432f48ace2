public import ArgumentParser
import Foundation
import LocalStore
import MuxiClient

/// `muxi-chat`: MUXI in the terminal. With a subcommand it is a scriptable client of a
/// formation (and of a MUXI server).
///
/// ```swift
/// await MuxiChat.execute(Array(CommandLine.arguments.dropFirst()))
/// ```
public struct MuxiChat: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "muxi-chat",
        abstract: "Talk to MUXI agents from the terminal, and script every formation operation.",
        usage: "muxi-chat [app] [<connection options>] [--new | --session <id>]\n  muxi-chat <subcommand> [<options>]",
        discussion: """
            Without a subcommand, on a terminal, muxi-chat opens the full-screen app, resuming the \
            last session used with this formation and user.

            Connection settings come from flags, then the environment (MUXI_URL, MUXI_SERVER_URL, \
            MUXI_FORMATION_ID, MUXI_CLIENT_KEY, MUXI_ADMIN_KEY, MUXI_USER_ID, MUXI_KEY_ID, \
            MUXI_SECRET_KEY), then a profile of $XDG_CONFIG_HOME/muxi-chat/config.toml.

            Exit codes: 0 ok, 1 other failure, 2 usage, configuration or input the server refused \
            as invalid, 3 authentication or authorization, 4 not found, 5 rate limited, 6 server \
            error, 7 connection or time-out.
            """,
        version: MuxiClientVersion.current,
        subcommands: [
            App.self, Ask.self, Health.self, Agents.self, Sessions.self, Messages.self, Memories.self, Buffer.self,
            Triggers.self, Jobs.self, Requests.self, Cancel.self, Artifacts.self, Logs.self, Audit.self, MCP.self, Tuning.self,
            Notify.self, Credentials.self, Knowledge.self, Server.self, WebhookCommand.self,
        ],
        defaultSubcommand: App.self
    )

    public init() {}

    /// Parses `arguments`, runs the command, and exits with the documented code: errors are one
    /// line on stderr (`error: KIND: CODE: message`), plus a hint where one helps.
    public static func execute(_ arguments: [String]) async -> Never {
        let output = Output()
        if arguments.first == "help", let name = arguments.dropFirst().first, !name.hasPrefix("-"),
           !configuration.subcommands.contains(where: { $0._commandName == name }) {
            output.error("error: usage: unknown command \(ControlCharacters.oneLine(name))")
            output.error("hint: muxi-chat --help lists the commands")
            terminate(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            terminate(0)
        } catch let error as MuxiError {
            output.error("error: " + describe(kind: error.kind, code: error.code, message: ControlCharacters.oneLine(error.message)))
            if let hint = hint(for: error) { output.error("hint: \(hint)") }
            terminate(exitCode(for: error))
        } catch let error as LocalStoreError {
            output.error("error: local store: \(error.message)")
            terminate(1)
        } catch let error as CLIError {
            output.error("error: \(error.kind): \(error.message)")
            if let hint = error.hint { output.error("hint: \(hint)") }
            terminate(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                output.line(fullMessage(for: error))
                terminate(0)
            }
            var first = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            if first.hasPrefix("Error: ") { first = String(first.dropFirst(7)) }
            output.error("error: usage: \(ControlCharacters.oneLine(first))")
            output.error("hint: see \(helpCommand(for: arguments))")
            terminate(2)
        }
    }

    /// `muxi-chat COMMAND --help` for the subcommand named in `arguments`, else `muxi-chat --help`.
    static func helpCommand(for arguments: [String]) -> String {
        let names = configuration.subcommands.map { $0._commandName }
        guard let command = arguments.first(where: { names.contains($0) }) else { return "muxi-chat --help" }
        return "muxi-chat \(command) --help"
    }

    /// `KIND: message`, with the code where it says more than the kind (`TRIGGER_NOT_FOUND`).
    static func describe(kind: MuxiError.Kind, code: String, message: String) -> String {
        let words: String
        switch kind {
        case .notFound: words = "not found"
        case .rateLimit: words = "rate limited"
        case .authentication: words = "authentication"
        case .authorization: words = "authorization"
        default: words = kind.rawValue
        }
        let generic: Set<String> = ["NOT_FOUND", "USAGE", "CONFIGURATION", "VALIDATION", "VALIDATION_ERROR", "TIMEOUT", "CONNECTION_ERROR", "CONNECTION_CUT", "UNAUTHORIZED",
                                    "FORBIDDEN", "RATE_LIMITED", "SERVER_ERROR", "UNKNOWN", kind.rawValue.uppercased()]
        return "\(words): \(message)" + (generic.contains(code) || code.isEmpty ? "" : " (\(code))")
    }

    static func terminate(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }

    static func exitCode(for error: MuxiError) -> Int32 {
        switch error.kind {
        case .configuration, .validation: return 2
        case .authentication, .authorization: return 3
        case .notFound: return 4
        case .rateLimit: return 5
        case .server: return 6
        case .connection, .timeout: return 7
        default: return 1
        }
    }

    static func hint(for error: MuxiError) -> String? {
        switch error.code {
        case "ADMIN_KEY_REQUIRED": return "give --admin-key or set MUXI_ADMIN_KEY"
        case "CLIENT_KEY_REQUIRED", "KEY_REQUIRED": return "give --client-key or set MUXI_CLIENT_KEY"
        case "USER_REQUIRED": return "give --user or set MUXI_USER_ID"
        case "CONNECTION_CUT": return nil   // it was reached: the formation's URL is not the problem
        default: break
        }
        switch error.kind {
        case .authentication:
            return error.message.lowercased().contains("admin") ? "check --admin-key / MUXI_ADMIN_KEY" : "check --client-key / MUXI_CLIENT_KEY"
        case .connection: return "is the formation running? check its URL (--url, MUXI_URL, or the profile's url)"
        case .timeout: return "the server did not answer in time; --timeout sets the limit"
        case .rateLimit: return error.retryAfter.map { "retry after \(Int($0.rounded(.up))) s" }
        default: return nil
        }
    }
}

import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ControlCharacters {
    /// One line, control characters visible: for error messages.
    static func oneLine(_ text: String) -> String { visible(text, keepingNewlines: false) }
}
