import ArgumentParser
import MuxiClient

struct Memories: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memories",
        abstract: "The user's persistent memories.",
        subcommands: [List.self, Add.self, Delete.self], defaultSubcommand: List.self)

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the memories (every page).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let memories = try await client.allMemories()
            if format.json {
                output.json(.array(memories.map(Self.json)))
            } else {
                output.table(["ID", "TYPE", "CREATED", "DETAIL"],
                             memories.map { [output.cell($0.id), output.cell($0.type ?? "-"), Format.time($0.createdAt), output.cell($0.detail)] })
            }
        }

        static func json(_ m: Memory) -> JSONValue {
            ["id": .string(m.id), "type": Format.string(m.type), "detail": .string(m.detail),
             "scope": Format.string(m.scope), "created_at": Format.iso(m.createdAt)]
        }
    }

    struct Add: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a memory.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "The memory's type (preference, fact…).") var type: String
        @Argument(help: "What to remember.") var detail: [String]

        func run(client: FormationClient, output: Output) async throws {
            let text = detail.joined(separator: " ")
            guard !text.isEmpty else { throw CLIError.usage("nothing to remember", hint: "muxi-chat memories add --type preference \"likes tea\"") }
            let memory = try await client.addMemory(type: type, detail: text)
            if format.json { output.json(List.json(memory)) } else { output.line(output.cell(memory.id)) }
        }
    }

    struct Delete: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a memory.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The memory id.") var id: String

        func run(client: FormationClient, output: Output) async throws {
            try await client.deleteMemory(id)
            output.line("deleted \(output.cell(id))")
        }
    }
}

struct Buffer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "buffer",
        abstract: "The user's buffer (short-term) memory.", subcommands: [Clear.self])

    struct Clear: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "clear", abstract: "Clear the user's buffer, or one session's.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "Clear only this session's buffer.") var session: String?

        func run(client: FormationClient, output: Output) async throws {
            let result: BufferClearResult
            if let session {
                result = try await client.clearSessionBuffer(session)
            } else {
                result = try await client.clearUserBuffer()
            }
            if format.json {
                output.json(["messages_cleared": .number(JSONNumber(result.messagesCleared)), "sessions_cleared": Format.int(result.sessionsCleared)])
            } else {
                output.line("cleared \(result.messagesCleared) message\(result.messagesCleared == 1 ? "" : "s")")
            }
        }
    }
}
