import Testing
import TestSupport
import Foundation
import TerminalImages
#if canImport(Glibc)
import Glibc
#endif

extension LiveRuntime {
/// What only a real emulator shows: the app in xterm (`-ti vt340`, which answers DA1 with sixel)
/// and in kitty (its graphics protocol), each under Xvfb, asked by typing for a picture the real
/// runtime makes (the stand-in's plan runs its generate_file tool), then `/artifacts`, Enter:
/// the picture is drawn, as a screenshot of the X screen shows (the red disc of the stand-in's
/// picture), and Esc takes it away again. Skipped where Xvfb, xdotool or xwd are missing
/// (`.ci/run` installs them, and xterm); the kitty case where kitty is not installed.
@Suite(.enabled(if: Live.enabled && ["/usr/bin/Xvfb", "/usr/bin/xdotool", "/usr/bin/xwd"]
                    .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }, "needs MUXI_TEST_URL, Xvfb, xdotool and xwd"),
       .serialized)
struct XtermImageTests {
    /// The emulators, as a program and its arguments around the script to run.
    static let terminals: [(name: String, path: String, arguments: [String], environment: [String: String])] = [
        ("xterm", "/usr/bin/xterm", ["-ti", "vt340", "-geometry", "130x40+0+0", "-fa", "Monospace", "-fs", "10", "-e"], [:]),
        ("kitty", "/usr/bin/kitty", ["-o", "linux_display_server=x11", "-o", "initial_window_width=130c",
                                     "-o", "initial_window_height=40c", "-o", "remember_window_size=no"],
         ["LIBGL_ALWAYS_SOFTWARE": "1"]),
    ].filter { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// The screen as RGB pixels, from `xwd -root` (ZPixmap, 32 bits a pixel, masks 0xFF0000…).
    static func screenshot(display: String) throws -> (width: Int, height: Int, rgb: (Int, Int) -> (Int, Int, Int)) {
        let path = NSTemporaryDirectory() + "xwd-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = Spawn.wait(Spawn.start("/usr/bin/xwd", ["-root", "-silent", "-display", display], stdout: path))
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u32(_ i: Int) -> Int { Int(b[i * 4]) << 24 | Int(b[i * 4 + 1]) << 16 | Int(b[i * 4 + 2]) << 8 | Int(b[i * 4 + 3]) }
        let headerSize = u32(0), width = u32(4), height = u32(5), lsb = u32(7) == 0, bpp = u32(11), line = u32(12), colours = u32(19)
        try #require(bpp == 32 || bpp == 24, "xwd wrote \(bpp) bits a pixel")
        let start = headerSize + colours * 12, size = bpp / 8
        return (width, height, { x, y in
            let p = start + y * line + x * size
            let v = lsb ? Int(b[p]) | Int(b[p + 1]) << 8 | Int(b[p + 2]) << 16
                : Int(b[p + size - 3]) << 16 | Int(b[p + size - 2]) << 8 | Int(b[p + size - 1])
            return (v >> 16 & 255, v >> 8 & 255, v & 255)
        })
    }

    /// Pixels of the stand-in picture's red disc (dithered in the 6×6×6 cube: strong red, little green or blue).
    static func reddish(_ shot: (width: Int, height: Int, rgb: (Int, Int) -> (Int, Int, Int))) -> Int {
        var n = 0
        for y in stride(from: 0, to: shot.height, by: 2) {
            for x in stride(from: 0, to: shot.width, by: 2) {
                let (r, g, b) = shot.rgb(x, y)
                if r > 180 && g < 110 && b < 110 { n += 1 }
            }
        }
        return n
    }

    @Test(arguments: Self.terminals.map(\.name))
    func aPictureIsDrawnAndTakenAwayAgain(terminal name: String) async throws {
        let terminal = try #require(Self.terminals.first { $0.name == name })
        let display = ":\(60 + Int.random(in: 0..<30))"
        let xvfb = Spawn.start("/usr/bin/Xvfb", [display, "-screen", "0", "1200x800x24", "-nolisten", "tcp"])
        defer { kill(xvfb, SIGTERM); _ = Spawn.wait(xvfb) }
        #expect(try await Live.eventually(within: .seconds(10)) {
            FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(display.dropFirst())")
        })
        let home = CLI.home()["HOME"]!
        let script = home + "/app.sh"
        let env = AppEndToEndTests.environment(home, user: "xterm-\(UUID().uuidString.prefix(6))")
        // a shell with job control, so that Ctrl+Z stops the app; it continues it 4 s later
        try "#!/bin/bash\nset -m\ncd \(home)\n\(env) \(CLI.binary)\nsleep 4\nfg\nsleep 60\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        var environment = ProcessInfo.processInfo.environment.merging(terminal.environment) { $1 }
        environment["DISPLAY"] = display
        let emulator = Spawn.start(terminal.path, terminal.arguments + [script], environment: environment)
        defer { kill(emulator, SIGTERM); _ = Spawn.wait(emulator) }
        func xdotool(_ args: String...) { _ = Spawn.wait(Spawn.start("/usr/bin/xdotool", Array(args), environment: ["DISPLAY": display])) }
        try await Task.sleep(for: .seconds(3))
        xdotool("mousemove", "400", "300")   // no window manager: the pointer gives xterm the keyboard
        xdotool("type", "--delay", "20", "please make a picture file (\(UUID().uuidString.prefix(4)))")
        xdotool("key", "Return")
        let folder = home + "/.local/share/muxi-chat/artifacts"   // no XDG_DATA_HOME in that environment
        #expect(try await Live.eventually(within: .seconds(40)) {
            let sessions = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return sessions.contains { FileManager.default.fileExists(atPath: folder + "/\($0)/picture.png") }
        }, "the answer never brought picture.png")
        try await Task.sleep(for: .seconds(1))
        #expect(Self.reddish(try Self.screenshot(display: display)) < 50)   // nothing red on screen yet
        xdotool("type", "--delay", "20", "/artifacts")
        xdotool("key", "Return")
        try await Task.sleep(for: .seconds(1))
        xdotool("key", "Return")
        /// The red pixels on the X screen once `enough` holds of them (or after 10 s).
        func red(until enough: @escaping (Int) -> Bool) async throws -> Int {
            var count = 0
            _ = try await Live.eventually(within: .seconds(10)) {
                count = Self.reddish(try Self.screenshot(display: display))
                return enough(count)
            }
            return count
        }
        let shown = try await red { $0 > 600 }
        #expect(shown > 600, "the picture was not drawn: \(shown) red pixels (of about 1,600 sampled)")
        // stopped (the shell's screen, no picture), then continued: the picture is drawn again
        xdotool("key", "ctrl+z")
        let stopped = try await red { $0 < 50 }
        #expect(stopped < 50, "the picture stayed after Ctrl+Z: \(stopped) red pixels")
        let again = try await red { $0 > 600 }
        #expect(again > 600, "the picture was not drawn again after fg: \(again) red pixels")
        xdotool("key", "Escape")
        let left = try await red { $0 < 50 }
        #expect(left < 50, "the picture stayed after Esc: \(left) red pixels")
    }
}
}
