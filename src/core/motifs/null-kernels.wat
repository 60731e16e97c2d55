;; The placement of the 'random-pruning' and 'gnm' null samplers (null-sampler.ts) in WebAssembly: the ones of
;; a layer's live n x m matrix, drawn from the sample's random stream, then the layer's CSR and its bias row;
;; and the sign shuffle of every null model. Every null sample of these models runs here. `npm run build:wasm` assembles this file into
;; null-kernels-wasm.ts.
;;
;; The random stream is xoshiro128** exactly as `Xoshiro128` in random.ts (same outputs, same rejection in
;; `int`), so a sample is the same graph as the JavaScript sampler drew and the stream continues in
;; JavaScript where the kernel left it: bytes 0-15 of the memory hold the four state words, written by
;; null-sampler.ts before a call and read back after it.
;;
;; The occupancy matrix (one byte per entry, `occ`) is all zeros between calls: a call clears the entries it
;; set, so the next call (any layer, any sampler of this thread) finds it zero without an O(n m) pass.
;; All other arguments are byte offsets of Int32 arrays laid out by null-sampler.ts, or counts.
(module
  (memory (export "memory") 1)

  ;; xoshiro128** state
  (global $s0 (mut i32) (i32.const 0))
  (global $s1 (mut i32) (i32.const 0))
  (global $s2 (mut i32) (i32.const 0))
  (global $s3 (mut i32) (i32.const 0))
  ;; the matrix being filled: occupancy bytes at $occ, its ones (entry indices, in the order set) at $list
  (global $occ (mut i32) (i32.const 0))
  (global $list (mut i32) (i32.const 0))
  (global $ones (mut i32) (i32.const 0))
  ;; zero entries in index order at $zeros ($nZeros of them, valid when $hasZeros): built by one scan, then
  ;; only compacted, so a nearly full matrix does not pay an O(n m) scan per full row or column
  (global $zeros (mut i32) (i32.const 0))
  (global $nZeros (mut i32) (i32.const 0))
  (global $hasZeros (mut i32) (i32.const 0))
  ;; 0, or 1 when more edges than free entries were asked for
  (global $err (mut i32) (i32.const 0))

  (func $loadState
    (global.set $s0 (i32.load (i32.const 0)))
    (global.set $s1 (i32.load (i32.const 4)))
    (global.set $s2 (i32.load (i32.const 8)))
    (global.set $s3 (i32.load (i32.const 12))))

  (func $storeState
    (i32.store (i32.const 0) (global.get $s0))
    (i32.store (i32.const 4) (global.get $s1))
    (i32.store (i32.const 8) (global.get $s2))
    (i32.store (i32.const 12) (global.get $s3)))

  ;; Uniform integer in [0, n), n >= 1 unsigned (Xoshiro128.int): the next raw 32-bit outputs of xoshiro128**
  ;; (Xoshiro128.uint32, written out here: the only caller) until one is below the largest multiple of n
  ;; below 2^32, 2^32 - (2^32 mod n), where 2^32 mod n = (2^32 - n) mod n; then that output mod n.
  (func $int (param $n i32) (result i32)
    (local $b i32) (local $c i32) (local $d i32) (local $x i32) (local $limit i64)
    (local.set $limit (i64.sub (i64.const 0x100000000)
      (i64.extend_i32_u (i32.rem_u (i32.sub (i32.const 0) (local.get $n)) (local.get $n)))))
    (loop $draw
      (local.set $b (global.get $s1))
      (local.set $x (i32.mul (i32.rotl (i32.mul (local.get $b) (i32.const 5)) (i32.const 7)) (i32.const 9)))
      (local.set $c (i32.xor (global.get $s2) (global.get $s0)))
      (local.set $d (i32.xor (global.get $s3) (local.get $b)))
      (global.set $s1 (i32.xor (local.get $b) (local.get $c)))
      (global.set $s0 (i32.xor (global.get $s0) (local.get $d)))
      (global.set $s2 (i32.xor (local.get $c) (i32.shl (local.get $b) (i32.const 9))))
      (global.set $s3 (i32.rotl (local.get $d) (i32.const 11)))
      (br_if $draw (i64.ge_u (i64.extend_i32_u (local.get $x)) (local.get $limit))))
    (i32.rem_u (local.get $x) (local.get $n)))

  ;; `count` draws of int(n) to the Int32 array at $out, continuing the stream at bytes 0-15 (for the test that
  ;; this stream is the one of random.ts).
  (func (export "ints") (param $n i32) (param $count i32) (param $out i32)
    (local $end i32)
    (call $loadState)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (i32.store (local.get $out) (call $int (local.get $n)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $each)))
    (call $storeState))

  ;; Sets entry k (a zero) to 1.
  (func $set (param $k i32)
    (i32.store8 (i32.add (global.get $occ) (local.get $k)) (i32.const 1))
    (i32.store (i32.add (global.get $list) (i32.shl (global.get $ones) (i32.const 2))) (local.get $k))
    (global.set $ones (i32.add (global.get $ones) (i32.const 1))))

  ;; Sets K uniformly chosen zero entries of the N-entry matrix, `free` of them being zero: rejection, or when
  ;; more than half of the free entries are taken, marks the free - K that stay free (value 2) and fills the
  ;; rest, the list of ones then rebuilt in index order.
  (func $placeUniform (param $N i32) (param $free i32) (param $K i32)
    (local $k i32) (local $left i32) (local $p i32) (local $v i32)
    (if (i32.le_s (local.get $K) (i32.const 0)) (then (return)))
    (if (i32.gt_s (local.get $K) (local.get $free))
      (then (global.set $err (i32.const 1)) (return)))
    (if (i32.le_s (i32.shl (local.get $K) (i32.const 1)) (local.get $free))
      (then
        (local.set $left (local.get $K))
        (loop $draw
          (local.set $k (call $int (local.get $N)))
          (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $k))))
            (then
              (call $set (local.get $k))
              (local.set $left (i32.sub (local.get $left) (i32.const 1)))))
          (br_if $draw (local.get $left)))
        (return)))
    (local.set $left (i32.sub (local.get $free) (local.get $K)))
    (block $marked
      (loop $mark
        (br_if $marked (i32.eqz (local.get $left)))
        (local.set $p (i32.add (global.get $occ) (call $int (local.get $N))))
        (if (i32.eqz (i32.load8_u (local.get $p)))
          (then
            (i32.store8 (local.get $p) (i32.const 2))
            (local.set $left (i32.sub (local.get $left) (i32.const 1)))))
        (br $mark)))
    ;; 0 -> 1, 2 -> 0, 1 stays; the ones listed in index order
    (global.set $hasZeros (i32.const 0))
    (global.set $ones (i32.const 0))
    (local.set $k (i32.const 0))
    (block $flipped
      (loop $flip
        (br_if $flipped (i32.ge_u (local.get $k) (local.get $N)))
        (local.set $p (i32.add (global.get $occ) (local.get $k)))
        (local.set $v (i32.lt_u (i32.load8_u (local.get $p)) (i32.const 2)))
        (i32.store8 (local.get $p) (local.get $v))
        (if (local.get $v)
          (then
            (i32.store (i32.add (global.get $list) (i32.shl (global.get $ones) (i32.const 2))) (local.get $k))
            (global.set $ones (i32.add (global.get $ones) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $flip))))

  ;; Brings the zero list up to date: built by a scan of the N entries on first use, later compacted. The list
  ;; lies after everything else (at $zeros), and the memory grows to hold it only here: most samples never
  ;; need it, and it takes 4 bytes per matrix entry. $err = 2 when the memory cannot grow.
  (func $zeroList (param $N i32)
    (local $k i32) (local $z i32) (local $v i32) (local $pages i64)
    (if (i32.eqz (global.get $hasZeros))
      (then
        (local.set $pages (i64.shr_u
          (i64.add (i64.add (i64.extend_i32_u (global.get $zeros)) (i64.shl (i64.extend_i32_u (local.get $N)) (i64.const 2)))
            (i64.const 65535))
          (i64.const 16)))
        (if (i64.gt_u (local.get $pages) (i64.extend_i32_u (memory.size)))
          (then
            (if (i32.lt_s (memory.grow (i32.wrap_i64 (i64.sub (local.get $pages) (i64.extend_i32_u (memory.size)))))
                  (i32.const 0))
              (then (global.set $err (i32.const 2)) (return)))))
        (block $built
          (loop $scan
            (br_if $built (i32.ge_u (local.get $k) (local.get $N)))
            (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $k))))
              (then
                (i32.store (i32.add (global.get $zeros) (i32.shl (local.get $z) (i32.const 2))) (local.get $k))
                (local.set $z (i32.add (local.get $z) (i32.const 1)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $scan)))
        (global.set $nZeros (local.get $z))
        (global.set $hasZeros (i32.const 1))
        (return)))
    (block $compacted
      (loop $keep
        (br_if $compacted (i32.ge_u (local.get $k) (global.get $nZeros)))
        (local.set $v (i32.load (i32.add (global.get $zeros) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $v))))
          (then
            (i32.store (i32.add (global.get $zeros) (i32.shl (local.get $z) (i32.const 2))) (local.get $v))
            (local.set $z (i32.add (local.get $z) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $keep)))
    (global.set $nZeros (local.get $z)))

  ;; One 1 at a uniformly random zero entry of the whole N-entry matrix: 16 tries, then the zero list.
  (func $placeAnywhere (param $N i32)
    (local $t i32) (local $k i32)
    (local.set $t (i32.const 16))
    (loop $try
      (local.set $k (call $int (local.get $N)))
      (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $k))))
        (then (call $set (local.get $k)) (return)))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br_if $try (local.get $t)))
    (call $zeroList (local.get $N))
    (if (global.get $err) (then (return)))
    (if (i32.eqz (global.get $nZeros)) (then (global.set $err (i32.const 1)) (return)))
    (call $set (i32.load (i32.add (global.get $zeros)
      (i32.shl (call $int (global.get $nZeros)) (i32.const 2))))))

  ;; One extra 1 in line `line` at a random zero entry (anywhere when the line is full). The line has `len`
  ;; entries at indices first + i * step: a row (step 1) or a column (step m) of the N-entry matrix.
  (func $extraInLine (param $N i32) (param $first i32) (param $len i32) (param $step i32)
    (local $t i32) (local $k i32) (local $i i32) (local $zeros i32)
    (local.set $t (i32.const 16))
    (loop $try
      (local.set $k (i32.add (local.get $first) (i32.mul (call $int (local.get $len)) (local.get $step))))
      (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $k))))
        (then (call $set (local.get $k)) (return)))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br_if $try (local.get $t)))
    (local.set $k (i32.add (global.get $occ) (local.get $first)))
    (block $counted
      (loop $count
        (br_if $counted (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $zeros (i32.add (local.get $zeros) (i32.eqz (i32.load8_u (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $step)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (if (i32.eqz (local.get $zeros)) (then (call $placeAnywhere (local.get $N)) (return)))
    ;; the t-th zero of the line
    (local.set $t (call $int (local.get $zeros)))
    (local.set $k (local.get $first))
    (loop $find
      (if (i32.eqz (i32.load8_u (i32.add (global.get $occ) (local.get $k))))
        (then
          (if (i32.eqz (local.get $t)) (then (call $set (local.get $k)) (return)))
          (local.set $t (i32.sub (local.get $t) (i32.const 1)))))
      (local.set $k (i32.add (local.get $k) (local.get $step)))
      (br $find)))

  ;; Shuffles positions [from, to) of the Int32 array at $a uniformly (random.ts `shuffle`): Fisher-Yates from
  ;; the end, position k swapping with from + int(k - from + 1).
  (func $shuffle (param $a i32) (param $from i32) (param $to i32)
    (local $k i32) (local $p i32) (local $q i32) (local $v i32)
    (local.set $k (i32.sub (local.get $to) (i32.const 1)))
    (block $shuffled
      (loop $swap
        (br_if $shuffled (i32.le_s (local.get $k) (local.get $from)))
        (local.set $p (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $q (i32.add (local.get $a) (i32.shl
          (i32.add (local.get $from) (call $int (i32.add (i32.sub (local.get $k) (local.get $from)) (i32.const 1))))
          (i32.const 2))))
        (local.set $v (i32.load (local.get $p)))
        (i32.store (local.get $p) (i32.load (local.get $q)))
        (i32.store (local.get $q) (local.get $v))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $swap))))

  ;; The signs of a sample's layer (NullSampler.shuffleSigns): the Int32 array at $neg holds the W weight
  ;; edges' signs, then the K bias edges'; each part is shuffled, continuing the stream at bytes 0-15.
  (func (export "shuffleSigns") (param $neg i32) (param $W i32) (param $K i32)
    (call $loadState)
    (call $shuffle (local.get $neg) (i32.const 0) (local.get $W))
    (call $shuffle (local.get $neg) (local.get $W) (i32.add (local.get $W) (local.get $K)))
    (call $storeState))

  ;; max(n, m) ones covering every row and column: node perm[k] of the larger side is matched to node k of the
  ;; smaller side for k < min(n, m), else to a uniform one; perm is a uniform permutation, in the Int32 array
  ;; at $perm.
  (func $minimalCover (param $n i32) (param $m i32) (param $perm i32)
    (local $big i32) (local $small i32) (local $k i32) (local $j i32) (local $s i32)
    (local.set $big (select (local.get $n) (local.get $m) (i32.ge_u (local.get $n) (local.get $m))))
    (local.set $small (select (local.get $m) (local.get $n) (i32.ge_u (local.get $n) (local.get $m))))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $k) (local.get $big)))
        (i32.store (i32.add (local.get $perm) (i32.shl (local.get $k) (i32.const 2))) (local.get $k))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $fill)))
    (call $shuffle (local.get $perm) (i32.const 0) (local.get $big))
    (local.set $k (i32.const 0))
    (block $covered
      (loop $cover
        (br_if $covered (i32.ge_u (local.get $k) (local.get $big)))
        (if (i32.lt_u (local.get $k) (local.get $small))
          (then (local.set $s (local.get $k)))
          (else (local.set $s (call $int (local.get $small)))))
        (local.set $j (i32.load (i32.add (local.get $perm) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.ge_u (local.get $n) (local.get $m))
          (then (call $set (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $s))))
          (else (call $set (i32.add (i32.mul (local.get $s) (local.get $m)) (local.get $j)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $cover))))

  ;; One layer of a null sample. On the n x m matrix of the live rows (real indices at $liveRows) and live
  ;; columns ($liveCols) it places W ones: G(n, m) (`authors` 0), or random pruning (`authors` 1): W - n - m
  ;; uniform ones, then one extra per row, then one per column; when W < n + m a minimal cover plus uniform
  ;; ones. Then the CSR of the nReal real rows ($rowPtr, nReal + 1 entries; $colIdx, columns of each row in
  ;; the order placed) by a counting sort over the live rows, and with `bias` the bias row (entry nReal + 1 of
  ;; $rowPtr): K distinct targets drawn from the nTargets at $pool (a partial Fisher-Yates, which permutes
  ;; $pool). Scratch: $list and $rowOf (W entries each), $start (n + 1), $perm (max(n, m)), and at $zeros,
  ;; after everything else, the zero list of up to n m entries, for which the memory grows only when a full
  ;; row or column needs it. Returns 0, 1 when W exceeds the entries (the layer is then not a valid sample),
  ;; or 2 when the memory could not grow for the zero list.
  (func (export "placeLayer")
    (param $authors i32) (param $n i32) (param $m i32) (param $W i32) (param $K i32) (param $nReal i32)
    (param $bias i32) (param $nTargets i32) (param $occ i32) (param $liveRows i32) (param $liveCols i32)
    (param $pool i32) (param $rowPtr i32) (param $colIdx i32) (param $list i32) (param $rowOf i32)
    (param $start i32) (param $perm i32) (param $zeros i32) (result i32)
    (local $N i32) (local $big i32) (local $q i32) (local $v i32) (local $row i32) (local $e i32)
    (local $i i32) (local $r i32) (local $p i32) (local $k i32) (local $j i32)
    (call $loadState)
    (global.set $occ (local.get $occ))
    (global.set $list (local.get $list))
    (global.set $zeros (local.get $zeros))
    (global.set $ones (i32.const 0))
    (global.set $hasZeros (i32.const 0))
    (global.set $err (i32.const 0))
    (local.set $N (i32.mul (local.get $n) (local.get $m)))
    (if (i32.gt_s (local.get $W) (i32.const 0))
      (then
        (if (i32.eqz (local.get $authors))
          (then (call $placeUniform (local.get $N) (local.get $N) (local.get $W)))
          (else
            (if (i32.ge_s (local.get $W) (i32.add (local.get $n) (local.get $m)))
              (then
                (call $placeUniform (local.get $N) (local.get $N)
                  (i32.sub (local.get $W) (i32.add (local.get $n) (local.get $m))))
                (local.set $r (i32.const 0))
                (block $rows_done
                  (loop $rows
                    (br_if $rows_done (i32.ge_u (local.get $r) (local.get $n)))
                    (call $extraInLine (local.get $N) (i32.mul (local.get $r) (local.get $m)) (local.get $m)
                      (i32.const 1))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $rows)))
                (local.set $r (i32.const 0))
                (block $cols_done
                  (loop $cols
                    (br_if $cols_done (i32.ge_u (local.get $r) (local.get $m)))
                    (call $extraInLine (local.get $N) (local.get $r) (local.get $n) (local.get $m))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $cols))))
              (else
                (call $minimalCover (local.get $n) (local.get $m) (local.get $perm))
                (local.set $big (select (local.get $n) (local.get $m) (i32.ge_u (local.get $n) (local.get $m))))
                (call $placeUniform (local.get $N) (i32.sub (local.get $N) (local.get $big))
                  (i32.sub (local.get $W) (local.get $big)))))))))
    ;; rows of the ones counted per live row (start[i + 1]), the row of every one divided out once
    (memory.fill (local.get $start) (i32.const 0) (i32.shl (i32.add (local.get $n) (i32.const 1)) (i32.const 2)))
    (block $counted
      (loop $count
        (br_if $counted (i32.ge_u (local.get $q) (global.get $ones)))
        (local.set $k (i32.load (i32.add (local.get $list) (i32.shl (local.get $q) (i32.const 2)))))
        ;; the matrix back to zeros on the way
        (i32.store8 (i32.add (local.get $occ) (local.get $k)) (i32.const 0))
        (local.set $row (i32.div_u (local.get $k) (local.get $m)))
        (i32.store (i32.add (local.get $rowOf) (i32.shl (local.get $q) (i32.const 2))) (local.get $row))
        (local.set $p (i32.add (local.get $start) (i32.shl (local.get $row) (i32.const 2))))
        (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $count)))
    ;; row pointers of the real rows (rows that are not live stay empty); start[i] = first edge of live row i
    (local.set $r (i32.const 0))
    (block $pointed
      (loop $point
        (br_if $pointed (i32.ge_u (local.get $r) (local.get $nReal)))
        (i32.store (i32.add (local.get $rowPtr) (i32.shl (local.get $r) (i32.const 2))) (local.get $e))
        (if (i32.lt_u (local.get $i) (local.get $n))
          (then
            (if (i32.eq (i32.load (i32.add (local.get $liveRows) (i32.shl (local.get $i) (i32.const 2))))
                  (local.get $r))
              (then
                (local.set $p (i32.add (local.get $start) (i32.shl (local.get $i) (i32.const 2))))
                (local.set $v (i32.load offset=4 (local.get $p)))
                (i32.store (local.get $p) (local.get $e))
                (local.set $e (i32.add (local.get $e) (local.get $v)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $point)))
    ;; the columns, in the order placed within each row
    (local.set $q (i32.const 0))
    (block $sorted
      (loop $sort
        (br_if $sorted (i32.ge_u (local.get $q) (global.get $ones)))
        (local.set $row (i32.load (i32.add (local.get $rowOf) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $p (i32.add (local.get $start) (i32.shl (local.get $row) (i32.const 2))))
        (local.set $k (i32.load (local.get $p)))
        (i32.store (local.get $p) (i32.add (local.get $k) (i32.const 1)))
        (i32.store (i32.add (local.get $colIdx) (i32.shl (local.get $k) (i32.const 2)))
          (i32.load (i32.add (local.get $liveCols) (i32.shl
            (i32.sub (i32.load (i32.add (local.get $list) (i32.shl (local.get $q) (i32.const 2))))
              (i32.mul (local.get $row) (local.get $m)))
            (i32.const 2)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $sort)))
    (global.set $ones (i32.const 0))
    (i32.store (i32.add (local.get $rowPtr) (i32.shl (local.get $nReal) (i32.const 2))) (local.get $e))
    (if (local.get $bias)
      (then
        ;; K distinct bias targets: pool[k] swapped with a uniform pool[j], j >= k
        (local.set $k (i32.const 0))
        (block $drawn
          (loop $draw
            (br_if $drawn (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $j (i32.add (local.get $k) (call $int (i32.sub (local.get $nTargets) (local.get $k)))))
            (local.set $p (i32.add (local.get $pool) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $v (i32.load (local.get $p)))
            (i32.store (local.get $p) (i32.load (i32.add (local.get $pool) (i32.shl (local.get $k) (i32.const 2)))))
            (i32.store (i32.add (local.get $pool) (i32.shl (local.get $k) (i32.const 2))) (local.get $v))
            (i32.store (i32.add (local.get $colIdx) (i32.shl (local.get $e) (i32.const 2))) (local.get $v))
            (local.set $e (i32.add (local.get $e) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $draw)))
        (i32.store offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $nReal) (i32.const 2)))
          (local.get $e))))
    (call $storeState)
    (global.get $err))
)
