import Dispatch
import Foundation

enum Parallel {
    /// Splits 0..<count into one contiguous range per core, runs `body` on each at once and returns
    /// their results in range order; one range when the work is too small to pay for the threads.
    /// Callers merge the results in range order, so nothing they compute depends on the number of
    /// cores or on how the threads were scheduled.
    static func map<T>(_ count: Int, minimumPerChunk: Int, _ body: @escaping @Sendable (Range<Int>) -> T) -> [T] {
        let chunkCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(minimumPerChunk, 1)))
        guard chunkCount > 1 else { return [body(0..<count)] }
        return each(chunkCount) { chunk in body(count * chunk / chunkCount..<count * (chunk + 1) / chunkCount) }
    }

    /// `body(0) … body(count - 1)` on all cores, handed out one at a time (for tasks of unequal
    /// cost), results in index order.
    static func each<T>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = SharedBuffer<T?>(repeating: nil, count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in results.base[index] = body(index) }
        return results.array.map { $0! }
    }
}

/// Memory that concurrent tasks write at disjoint indices and that is read once they have all
/// finished, which is why it needs no lock.
final class SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating element: Element, count: Int) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: element, count: count)
    }

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: count)
        _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: elements)
    }

    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
