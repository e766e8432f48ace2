import CPNG

/// A picture as 8-bit RGBA pixels, decoded from PNG by libpng's simplified API (a well-kept
/// decoder; none in the Swift packages at hand decodes PNG on Linux).
///
/// ```swift
/// let picture = PNGImage(decoding: bytes)   // nil when the bytes are not a PNG libpng reads
/// ```
public struct PNGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes, row by row, red-green-blue-alpha.
    public let pixels: [UInt8]

    /// The largest picture decoded (a hostile header could ask for gigabytes).
    public static let maxPixels = 40_000_000

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init?(decoding bytes: [UInt8]) {
        guard bytes.count > 8, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { return nil }
        let w = Int(image.width), h = Int(image.height)
        guard w > 0, h > 0, w * h <= Self.maxPixels else {
            png_image_free(&image)
            return nil
        }
        image.format = cpng_format_rgba
        var out = [UInt8](repeating: 0, count: w * h * 4)
        let done = out.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(w * 4), nil) }
        png_image_free(&image)
        guard done != 0 else { return nil }
        self.init(width: w, height: h, pixels: out)
    }
}
