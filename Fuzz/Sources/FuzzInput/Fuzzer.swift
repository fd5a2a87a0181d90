import CLibFuzzer
import Foundation

/// Hands a fuzz target to libFuzzer. SwiftPM gives every executable its own `main` (and makes it the
/// program's), so the target's main.swift calls libFuzzer's driver, which reads the usual flags
/// (`-max_total_time`, the corpus folders…) and calls back `LLVMFuzzerTestOneInput` with each input.
public enum Fuzzer {
    nonisolated(unsafe) fileprivate static var target: ((inout FuzzInput) -> Void)?

    public static func run(_ body: @escaping (inout FuzzInput) -> Void) -> Never {
        target = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
    }
}

/// The symbol libFuzzer's runtime links against.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = Fuzzer.target else { fatalError("the fuzz target's main.swift did not call Fuzzer.run") }
    var input = FuzzInput(data, size)
    target(&input)
    return 0
}
