import ArgumentParser
import Foundation
import LocalStore
import MuxiClient

/// `--json` for data commands.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (stable field names; see the README).")
    var json = false
}

struct Health: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "The formation's health.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag

    func run(client: FormationClient, output: Output) async throws {
        let h = try await client.health()
        if format.json {
            output.json(["status": .string(h.status), "version": Format.string(h.version),
                         "uptime_seconds": h.uptimeSeconds.map { .number(JSONNumber($0)) } ?? .null])
        } else {
            output.line("\(output.cell(h.status))  version \(output.cell(h.version ?? "-"))  up \(Int(h.uptimeSeconds ?? 0)) s")
        }
        if !h.isHealthy { throw MuxiError(kind: .server, code: "UNHEALTHY", message: "the formation reports \(h.status)") }
    }
}

struct Agents: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "The formation's agents (admin key).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag

    func run(client: FormationClient, output: Output) async throws {
        let agents = try await client.agents()
        if format.json {
            output.json(.array(agents.map { ["id": .string($0.id), "name": .string($0.name),
                                             "description": Format.string($0.description), "default": .bool($0.isDefault)] }))
        } else {
            output.table(["ID", "NAME", "DEFAULT", "DESCRIPTION"],
                         agents.map { [output.cell($0.id), output.cell($0.name), $0.isDefault ? "yes" : "", output.cell($0.description)] })
        }
    }
}

struct Sessions: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "sessions",
        abstract: "The user's sessions: on the server, and those known locally.",
        discussion: "SOURCE is server, local (the server no longer has it, e.g. after a restart) or both.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag
    @Option(name: .long, help: "At most this many server sessions.") var limit = 50

    func run(client: FormationClient, output: Output) async throws {
        let server = try await client.sessions(limit: limit)
        let store = connection.openStore(output)
        let formation = client.configuration.baseURL, user = client.configuration.userID ?? "0"
        let local = (try? store?.sessions(formation: formation, user: user)) ?? []
        let counts = (try? store?.messageCounts(formation: formation, user: user)) ?? [:]
        let hidden = (try? store?.hiddenSessions(formation: formation, user: user)) ?? []
        let sorted = SessionMerge.merge(server: server.map { ($0.id, $0.lastActivity, $0.messageCount) }, local: local,
                                        counts: counts, hidden: hidden)
        if format.json {
            output.json(.array(sorted.map { ["session_id": .string($0.id), "last_activity": Format.iso($0.lastActive),
                                             "message_count": Format.int($0.messages), "title": .string($0.title),
                                             "source": .string($0.source.rawValue)] }))
        } else {
            output.table(["SESSION", "LAST ACTIVE", "SOURCE", "TITLE"],
                         sorted.map { [output.cell($0.id), Format.time($0.lastActive), $0.source.rawValue, output.cell($0.title)] })
        }
    }
}

struct Messages: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "messages", abstract: "A session's messages (role, time, text).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag
    @Argument(help: "The session id.") var session: String
    @Option(name: .long, help: "At most this many messages.") var limit = 100

    func run(client: FormationClient, output: Output) async throws {
        var messages = try await client.sessionMessages(session, limit: limit).messages
        var fromLocalCopy = false
        if messages.isEmpty {
            // the runtime keeps sessions in memory: after a restart the local copy is what is left
            let key = StoredSession.Key(formation: client.configuration.baseURL, user: client.configuration.userID ?? "0", id: session)
            let cached = (try? connection.openStore(output)?.cachedMessages(key)) ?? []
            messages = cached.suffix(limit).map { SessionMessage(role: $0.role == .user ? .user : .assistant, text: $0.text, timestamp: $0.at) }
            fromLocalCopy = !messages.isEmpty
        }
        if messages.isEmpty {
            throw CLIError.notFound("no messages in \(output.cell(session)), on the server or in the local copy",
                                    hint: "muxi-chat sessions lists the sessions")
        }
        if fromLocalCopy { output.error("note: the server no longer has \(output.cell(session)); these are from the local copy") }
        if format.json {
            output.json(.array(messages.map { ["role": .string($0.role.rawValue), "text": .string($0.text),
                                               "time": Format.iso($0.timestamp), "request_id": Format.string($0.requestID)] }))
            return
        }
        for (i, m) in messages.enumerated() {
            if i > 0 { output.line() }
            output.line("\(m.role.rawValue.uppercased())  \(Format.time(m.timestamp))")
            output.line(output.safe(m.text))
        }
    }
}

struct Requests: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "requests", abstract: "The user's requests (turns and trigger runs).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag

    func run(client: FormationClient, output: Output) async throws {
        // newest first, as `sessions` lists
        let requests = try await client.requests().sorted { ($0.createdAt ?? .distantPast) > ($1.createdAt ?? .distantPast) }
        if format.json {
            output.json(.array(requests.map { ["request_id": .string($0.id), "status": .string($0.status.rawValue),
                                               "created_at": Format.iso($0.createdAt), "completed_at": Format.iso($0.completedAt),
                                               "error": Format.string($0.error)] }))
        } else {
            output.table(["REQUEST", "STATUS", "CREATED", "COMPLETED"],
                         requests.map { [output.cell($0.id), output.cell($0.status.rawValue), Format.time($0.createdAt), Format.time($0.completedAt)] })
        }
    }
}

struct Cancel: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel one of the user's requests.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var format: JSONFlag
    @Argument(help: "The request id.") var request: String

    func run(client: FormationClient, output: Output) async throws {
        let result = try await client.cancel(requestID: request)
        if format.json {
            output.json(["request_id": .string(result.requestID), "status": .string(result.status), "mode": Format.string(result.mode)])
        } else {
            output.line("cancelled \(output.cell(result.requestID)) (\(output.cell(result.mode ?? result.status)))")
        }
    }
}
