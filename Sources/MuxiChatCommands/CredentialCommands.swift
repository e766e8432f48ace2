import ArgumentParser
import Foundation
import MuxiClient

/// `muxi-chat credentials`: the user's stored service credentials (shown redacted).
struct Credentials: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credentials",
        abstract: "The user's service credentials (previews only; a secret is read from stdin, never an argument).",
        subcommands: [List.self, Services.self, Show.self, Add.self, Delete.self], defaultSubcommand: List.self)

    static func json(_ c: Credential) -> JSONValue {
        ["id": .string(c.id), "service": .string(c.service), "name": Format.string(c.name),
         "preview": Format.string(c.preview), "created_at": Format.iso(c.createdAt)]
    }

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The user's credentials.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let all = try await client.credentials()
            if format.json { return output.json(.array(all.map(Credentials.json))) }
            output.table(["ID", "SERVICE", "NAME", "PREVIEW", "CREATED"],
                         all.map { [output.cell($0.id), output.cell($0.service), output.cell($0.name ?? ""),
                                    output.cell($0.preview ?? ""), Format.time($0.createdAt)] })
        }
    }

    struct Services: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "services", abstract: "The services that take credentials.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let services = try await client.credentialServices()
            if format.json { return output.json(.array(services.map(\.raw))) }
            output.table(["SERVICE", "MCP SERVER", "DESCRIPTION"],
                         services.map { [output.cell($0.service), output.cell($0.serverID ?? ""), output.cell($0.description ?? "")] })
        }
    }

    struct Show: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One credential (exit 4 when unknown).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Argument(help: "The credential id.") var id: String

        func run(client: FormationClient, output: Output) async throws {
            let c = try await client.credential(id)
            if format.json { return output.json(Credentials.json(c)) }
            output.table(["FIELD", "VALUE"], [["id", output.cell(c.id)], ["service", output.cell(c.service)],
                                              ["name", output.cell(c.name ?? "")], ["preview", output.cell(c.preview ?? "")],
                                              ["created", Format.time(c.createdAt)]])
        }
    }

    struct Add: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "add",
            abstract: "Store a credential: stdin holds a JSON object, or a bare secret stored under --field.",
            discussion: "echo \"$GITHUB_TOKEN\" | muxi-chat credentials add github --name work")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Argument(help: "The service (see credentials services).") var service: String
        @Option(name: .long, help: "A name for it (the runtime finds one when absent).") var name: String?
        @Option(name: .long, help: "The field a bare secret is stored under.") var field = "token"

        func run(client: FormationClient, output: Output) async throws {
            let secret = try Self.credential(from: try Stdin.text(what: "credential", hint: "pipe it: echo \"$TOKEN\" | muxi-chat credentials add SERVICE"), field: field)
            let c = try await client.createCredential(service: service, name: name, credential: secret)
            if format.json { output.json(Credentials.json(c)) } else { output.line(output.cell(c.id)) }
        }

        /// A JSON object read as such; anything else is one secret under `field`.
        static func credential(from text: String, field: String) throws -> JSONValue {
            if text.hasPrefix("{") {
                guard case .object? = try? JSONValue(parsing: text) else {
                    throw CLIError.usage("stdin starts like a JSON object but is not one")
                }
                return try JSONValue(parsing: text)
            }
            return .object([field: .string(text)])
        }
    }

    struct Delete: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a credential.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The credential id.") var id: String

        func run(client: FormationClient, output: Output) async throws {
            try await client.deleteCredential(id)
            output.line("deleted \(output.cell(id))")
        }
    }
}

/// `muxi-chat knowledge`: rebuild or sync the agents' knowledge sources (admin key).
struct Knowledge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "knowledge",
        abstract: "Rebuild or sync the agents' knowledge sources (admin key).", subcommands: [Rebuild.self, Sync.self])

    static func show(_ update: KnowledgeUpdate, _ format: JSONFlag, _ output: Output) throws {
        if format.json { return output.json(update.raw) }
        output.table(["AGENT", "SOURCE", "STATUS", "COUNT", "DETAIL"],
                     update.sources.map { [output.cell($0.agentID), output.cell($0.sourceID), output.cell($0.status),
                                           $0.count.map(String.init) ?? "", output.cell($0.detail ?? "")] })
        if let failed = update.sources.first(where: { $0.status == "failed" }) {
            throw MuxiError(kind: .server, code: "KNOWLEDGE_FAILED",
                            message: "\(failed.agentID)/\(failed.sourceID) failed: \(failed.detail ?? "no reason given")")
        }
    }

    struct Rebuild: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "rebuild",
            abstract: "Rebuild the knowledge trees (every agent's, or one agent's or source's); exit 6 when one failed.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "Only this agent.") var agent: String?
        @Option(name: .long, help: "Only this source.") var source: String?

        func run(client: FormationClient, output: Output) async throws {
            try Knowledge.show(try await client.rebuildKnowledge(agentID: agent, sourceID: source), format, output)
        }
    }

    struct Sync: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "sync",
            abstract: "Pull an agent's knowledge sources again; exit 6 when one failed.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Argument(help: "The agent.") var agent: String
        @Option(name: .long, help: "Only this source.") var source: String?

        func run(client: FormationClient, output: Output) async throws {
            try Knowledge.show(try await client.syncKnowledge(agentID: agent, sourceID: source), format, output)
        }
    }
}
