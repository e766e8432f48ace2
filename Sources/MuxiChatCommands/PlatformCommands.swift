import ArgumentParser
import Foundation
import MuxiClient

/// `muxi-chat logs`: the formation's live log, filtered, until Ctrl+C (admin key).
struct Logs: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "logs",
        abstract: "Follow the formation's live log (admin key), filtered; Ctrl+C stops.",
        discussion: "At least one filter is needed (the runtime refuses an unfiltered stream). --level is the lowest severity shown. The runtime of 2026-09 accepts the stream but sends nothing on it.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag
    @Option(name: .long, help: "The lowest severity: debug, info, warning, error or critical.") var level: String?
    @Option(name: .customLong("for-user"), help: "Only this user's events.") var forUser: String?
    @Option(name: .long, help: "Only this session's events.") var session: String?
    @Option(name: .long, help: "Only this request's events.") var request: String?
    @Option(name: .long, help: "Only this event type (* matches any text: chat.*).") var type: String?

    func run(client: FormationClient, output: Output) async throws {
        let filter = LogFilter(userID: forUser, sessionID: session, requestID: request, level: level, eventType: type)
        guard !filter.isEmpty else {
            throw CLIError.usage("logs needs a filter", hint: "muxi-chat logs --level info (or --for-user, --session, --request, --type)")
        }
        for try await event in client.streamLogs(filter) {
            if format.json {
                output.json(event.raw)
            } else {
                output.line([Format.time(event.timestamp), output.cell(event.level ?? "-"), output.cell(event.type ?? "-"),
                             output.cell(event.message)].joined(separator: "  "))
            }
        }
    }
}

/// `muxi-chat audit`: the audit log, and clearing it (admin key).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The formation's audit log (admin key).",
                                                    subcommands: [List.self, Clear.self], defaultSubcommand: List.self)

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The newest entries.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "At most this many (1-1000).") var limit = 100
        @Option(name: .long, help: "Only this action.") var action: String?
        @Option(name: .long, help: "Only this resource type (agent, secret, mcp_server, scheduler_job, memory…).") var resource: String?

        func run(client: FormationClient, output: Output) async throws {
            let entries = try await client.auditLog(AuditFilter(limit: limit, action: action, resourceType: resource))
            if format.json {
                output.json(.array(entries.map(\.raw)))
            } else {
                output.table(["TIME", "ACTION", "RESOURCE", "RESULT", "MESSAGE"],
                             entries.map { [Format.time($0.timestamp), output.cell($0.action),
                                            output.cell([$0.resourceType, $0.resourceID].compactMap { $0 }.joined(separator: " ")),
                                            output.cell($0.result ?? ""), output.cell($0.message ?? "")] })
            }
        }
    }

    struct Clear: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Empty the audit log (needs --yes).")
        @OptionGroup var connection: ConnectionOptions
        @Flag(name: .long, help: "Yes, remove every entry.") var yes = false

        func run(client: FormationClient, output: Output) async throws {
            guard yes else { throw CLIError.usage("clearing the audit log removes every entry", hint: "add --yes") }
            let cleared = try await client.clearAuditLog()
            output.line("cleared \(cleared.removedEntries) entries")
        }
    }
}

/// `muxi-chat mcp`: the MCP settings, servers and tools (admin key).
struct MCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mcp", abstract: "The formation's MCP servers and tools (admin key).",
                                                    subcommands: [Servers.self, Tools.self, Settings.self], defaultSubcommand: Servers.self)

    struct Servers: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "servers", abstract: "The MCP servers (secrets as placeholders).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let servers = try await client.mcpServers()
            if format.json { return output.json(.array(servers.map(\.raw))) }
            output.table(["ID", "TYPE", "TARGET", "DESCRIPTION"],
                         servers.map { [output.cell($0.id), output.cell($0.type ?? "-"),
                                        output.cell($0.endpoint ?? ([$0.command].compactMap { $0 } + $0.arguments).joined(separator: " ")),
                                        output.cell($0.description ?? "")] })
        }
    }

    struct Tools: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "tools", abstract: "The tools of the formation's own MCP endpoint.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let tools = try await client.mcpTools()
            if format.json { return output.json(.array(tools.map(\.raw))) }
            output.table(["NAME", "ACCESS", "PARAMETERS", "DESCRIPTION"],
                         tools.map { [output.cell($0.name), $0.access, output.cell($0.parameters.keys.sorted().joined(separator: ",")),
                                      output.cell($0.description)] })
        }
    }

    struct Settings: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "settings", abstract: "The MCP defaults and limits.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let s = try await client.mcpSettings()
            if format.json { return output.json(s.raw) }
            output.table(["SETTING", "VALUE"], [
                ["tool calls per turn", String(s.maxToolCalls)], ["tool rounds per turn", String(s.maxToolIterations)],
                ["retries", String(s.defaultRetryAttempts)], ["tool time-out", "\(s.defaultTimeoutSeconds) s"],
                ["turn tool time", "\(s.maxTimeoutSeconds) s"], ["servers", String(s.servers.count)],
            ])
        }
    }
}

/// `muxi-chat tuning`: the live MUXI.md and its pending suggestion (admin key).
struct Tuning: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tuning",
        abstract: "What the formation has learned (MUXI.md) and its pending suggestion (admin key).",
        subcommands: [Show.self, Pending.self, Apply.self, Dismiss.self, Run.self], defaultSubcommand: Show.self)

    static func print(_ document: TuningDocument, empty: String, json: Bool, output: Output) {
        if json { return output.json(["content": Format.string(document.content), "path": Format.string(document.path)]) }
        // the document is the runtime's Markdown: printed as text, its control characters made visible
        output.line(document.content.map(output.safe) ?? empty)
    }

    struct Show: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "The live MUXI.md.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        func run(client: FormationClient, output: Output) async throws {
            Tuning.print(try await client.tuning(), empty: "(no MUXI.md yet)", json: format.json, output: output)
        }
    }

    struct Pending: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "pending", abstract: "The suggestion waiting for a decision.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        func run(client: FormationClient, output: Output) async throws {
            Tuning.print(try await client.pendingTuning(), empty: "(nothing pending)", json: format.json, output: output)
        }
    }

    struct Apply: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "apply", abstract: "Make the pending suggestion the live MUXI.md.")
        @OptionGroup var connection: ConnectionOptions
        func run(client: FormationClient, output: Output) async throws {
            output.line("applied: \(try await client.applyPendingTuning()) learnings active")
        }
    }

    struct Dismiss: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss", abstract: "Throw the pending suggestion away.")
        @OptionGroup var connection: ConnectionOptions
        func run(client: FormationClient, output: Output) async throws {
            output.line("dismissed: \(try await client.dismissPendingTuning()) learnings")
        }
    }

    struct Run: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the tuner now (may take a while).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        func run(client: FormationClient, output: Output) async throws {
            let run = try await client.runTuning()
            if format.json { return output.json(run.raw) }
            output.line("read \(run.eventsRead) events, wrote \(run.entriesWritten) learnings in \(Int(run.durationMilliseconds)) ms"
                        + (run.tunerError.map { "; tuner failed: \(output.cell($0))" } ?? "")
                        + (run.tunerSkipped.map { "; tuner skipped: \(output.cell($0))" } ?? ""))
        }
    }
}

/// `muxi-chat notify USER MESSAGE`: a proactive notification; exit 6 when it reached nothing.
struct Notify: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "notify",
        abstract: "Send a user a notification through their channels (the formation needs a proactive block).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag
    @Argument(help: "The user to notify.") var user: String
    @Argument(help: "The message.") var message: String
    @Option(name: .customLong("channel"), help: "A channel to use (repeatable): a declared name, last, preferred or webhook.")
    var channels: [String] = []

    func run(client: FormationClient, output: Output) async throws {
        let sent = try await client.sendNotification(message, to: user, channels: channels.isEmpty ? nil : channels)
        if format.json {
            output.json(["channels": .array(sent.channels.map(JSONValue.string)), "delivered": .array(sent.delivered.map(JSONValue.string)),
                         "failed": .array(sent.failed.map(JSONValue.string))])
        } else if !sent.delivered.isEmpty {
            output.line("delivered via \(sent.delivered.map(output.cell).joined(separator: ", "))")
        }
        if sent.delivered.isEmpty {
            throw MuxiError(kind: .server, code: "NOT_DELIVERED",
                            message: "the notification reached no channel (tried: \(sent.failed.joined(separator: ", ")))")
        }
    }
}
