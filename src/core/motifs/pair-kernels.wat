;; The source-pair matrix census (pair-matrix.ts) in WebAssembly: every null sample of the unsigned `paths`
;; census spends most of its time in these loops. Plain loads and stores without the bounds and type checks
;; of typed-array accesses made them ~3x faster than V8's optimised JavaScript on the moth network
;; (docs/significance.md). `npm run build:wasm` assembles this file into pair-kernels-wasm.ts.
;;
;; All arguments are byte offsets into the module's memory or counts; pair-matrix.ts lays the arrays out and
;; grows the memory before each call. Int32 arrays are 4-byte aligned, R is a Uint16 n x n matrix.
(module
  (memory (export "memory") 1)

  ;; Transposes a CSR matrix (nRows + 1 row pointers at $rowPtr, column indices at $colIdx) into CSR of its
  ;; transpose ($ptr: nCols + 1 pointers, $idx: the row indices), rows ascending within every column since the
  ;; rows are visited in order. Applied twice it sorts the columns of every row. $ptr is its own cursor: it
  ;; holds the column ends after the fill and is shifted back to starts.
  (func (export "transpose")
    (param $nRows i32) (param $nCols i32) (param $rowPtr i32) (param $colIdx i32) (param $ptr i32) (param $idx i32)
    (local $row i32) (local $e i32) (local $end i32) (local $c i32) (local $sum i32) (local $v i32) (local $at i32)
    (memory.fill (local.get $ptr) (i32.const 0) (i32.shl (i32.add (local.get $nCols) (i32.const 1)) (i32.const 2)))
    ;; counts at ptr[c + 1]
    (local.set $e (i32.add (local.get $colIdx)
      (i32.shl (i32.load (local.get $rowPtr)) (i32.const 2))))
    (local.set $end (i32.add (local.get $colIdx)
      (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $nRows) (i32.const 2)))) (i32.const 2))))
    (block $count_done
      (loop $count
        (br_if $count_done (i32.ge_u (local.get $e) (local.get $end)))
        (local.set $at (i32.add (local.get $ptr) (i32.shl (i32.load (local.get $e)) (i32.const 2))))
        (i32.store offset=4 (local.get $at) (i32.add (i32.load offset=4 (local.get $at)) (i32.const 1)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $count)))
    ;; prefix sums: ptr[c] = start of column c
    (block $sum_done
      (loop $sums
        (br_if $sum_done (i32.gt_u (local.get $c) (local.get $nCols)))
        (local.set $at (i32.add (local.get $ptr) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $at))))
        (i32.store (local.get $at) (local.get $sum))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $sums)))
    ;; fill, rows in order: idx[ptr[col]++] = row
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $nRows)))
        (local.set $e (i32.add (local.get $colIdx)
          (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $row) (i32.const 2)))) (i32.const 2))))
        (local.set $end (i32.add (local.get $colIdx)
          (i32.shl (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $row) (i32.const 2))))
            (i32.const 2))))
        (block $e_done
          (loop $edges
            (br_if $e_done (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $at (i32.add (local.get $ptr) (i32.shl (i32.load (local.get $e)) (i32.const 2))))
            (local.set $v (i32.load (local.get $at)))
            (i32.store (i32.add (local.get $idx) (i32.shl (local.get $v) (i32.const 2))) (local.get $row))
            (i32.store (local.get $at) (i32.add (local.get $v) (i32.const 1)))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $edges)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
    ;; ptr[c] now ends column c: shift back by one column
    (local.set $c (local.get $nCols))
    (block $shift_done
      (loop $shift
        (br_if $shift_done (i32.eqz (local.get $c)))
        (local.set $at (i32.add (local.get $ptr) (i32.shl (local.get $c) (i32.const 2))))
        (i32.store (local.get $at) (i32.load (i32.sub (local.get $at) (i32.const 4))))
        (local.set $c (i32.sub (local.get $c) (i32.const 1)))
        (br $shift)))
    (i32.store (local.get $ptr) (i32.const 0)))

;; Builds R (n x n Uint16 at $r, zeroed here): R[x, y] = targets shared by sources x < y, from the CSC of
  ;; the layer (column pointers at $ptr, nCols + 1 entries; row indices at $idx, ascending within a column).
  ;; Returns Σ_{x<y} C(R[x, y], 2), accumulated as Σ of R[x, y] before each increment.
  (func (export "matrixFans")
    (param $r i32) (param $n i32) (param $nCols i32) (param $ptr i32) (param $idx i32) (result f64)
    (local $col i32) (local $end i32) (local $ia i32) (local $ja i32) (local $base i32) (local $k i32)
    (local $v i32) (local $fans i64)
    (memory.fill (local.get $r) (i32.const 0) (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 1)))
    (block $cols_done
      (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $col) (local.get $nCols)))
        ;; ia, end: byte addresses of the column's first and one-past-last row index
        (local.set $ia (i32.add (local.get $idx)
          (i32.shl (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $col) (i32.const 2)))) (i32.const 2))))
        (local.set $end (i32.add (local.get $idx)
          (i32.shl (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $col) (i32.const 2))))
            (i32.const 2))))
        (block $i_done
          (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $ia) (local.get $end)))
            ;; row x of R, then every later row y of the column: R[x, y] += 1
            (local.set $base (i32.add (local.get $r)
              (i32.shl (i32.mul (i32.load (local.get $ia)) (local.get $n)) (i32.const 1))))
            (local.set $ja (i32.add (local.get $ia) (i32.const 4)))
            (block $j_done
              (loop $j_loop
                (br_if $j_done (i32.ge_u (local.get $ja) (local.get $end)))
                (local.set $k (i32.add (local.get $base) (i32.shl (i32.load (local.get $ja)) (i32.const 1))))
                (local.set $v (i32.load16_u (local.get $k)))
                (local.set $fans (i64.add (local.get $fans) (i64.extend_i32_u (local.get $v))))
                (i32.store16 (local.get $k) (i32.add (local.get $v) (i32.const 1)))
                (local.set $ja (i32.add (local.get $ja) (i32.const 4)))
                (br $j_loop)))
            (local.set $ia (i32.add (local.get $ia) (i32.const 4)))
            (br $i_loop)))
        (local.set $col (i32.add (local.get $col) (i32.const 1)))
        (br $cols)))
    (f64.convert_i64_u (local.get $fans)))

  ;; Bi-parallels of layers l-1, l: Σ over the rows of layer l-1 (row pointers at $rowPtr, nRows + 1
  ;; entries; columns at $cols, ascending per row) of R at their column pairs. A row with more than 8 columns
  ;; whose C(k, 2) look-ups cost more than twice its two-paths r->b->d (Σ_b out-degree of b in layer l) is
  ;; counted through those two-paths instead: Σ_d C(paths to d, 2), with layer l's CSR ($bPtr, $bIdx) and a
  ;; counter of its nColsB targets at $cnt (zeroed here per such row).
  (func (export "lookupPairs")
    (param $r i32) (param $n i32) (param $nRows i32) (param $rowPtr i32) (param $cols i32)
    (param $bPtr i32) (param $bIdx i32) (param $nColsB i32) (param $cnt i32)
    (result f64)
    (local $row i32) (local $ia i32) (local $ja i32) (local $end i32) (local $k i32) (local $steps i32)
    (local $base i32) (local $f i32) (local $fEnd i32) (local $c i32) (local $v i32) (local $par i64)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $nRows)))
        (local.set $ia (i32.add (local.get $cols)
          (i32.shl (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $row) (i32.const 2)))) (i32.const 2))))
        (local.set $end (i32.add (local.get $cols)
          (i32.shl (i32.load offset=4 (i32.add (local.get $rowPtr) (i32.shl (local.get $row) (i32.const 2))))
            (i32.const 2))))
        (local.set $k (i32.shr_u (i32.sub (local.get $end) (local.get $ia)) (i32.const 2)))
        (local.set $steps (i32.const 0))
        (if (i32.gt_u (local.get $k) (i32.const 8))
          (then
            (local.set $ja (local.get $ia))
            (block $s_done
              (loop $s_loop
                (br_if $s_done (i32.ge_u (local.get $ja) (local.get $end)))
                (local.set $base (i32.add (local.get $bPtr) (i32.shl (i32.load (local.get $ja)) (i32.const 2))))
                (local.set $steps (i32.add (local.get $steps)
                  (i32.sub (i32.load offset=4 (local.get $base)) (i32.load (local.get $base)))))
                (local.set $ja (i32.add (local.get $ja) (i32.const 4)))
                (br $s_loop)))))
        (if (i32.or (i32.le_u (local.get $k) (i32.const 8))
              (i64.le_u
                (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $k))
                  (i64.extend_i32_u (i32.sub (local.get $k) (i32.const 1)))) (i64.const 1))
                (i64.shl (i64.extend_i32_u (local.get $steps)) (i64.const 1))))
          (then
            ;; look-ups: R[b, b'] for every column pair b < b' of the row
            (block $i_done
              (loop $i_loop
                (br_if $i_done (i32.ge_u (local.get $ia) (local.get $end)))
                (local.set $base (i32.add (local.get $r)
                  (i32.shl (i32.mul (i32.load (local.get $ia)) (local.get $n)) (i32.const 1))))
                (local.set $ja (i32.add (local.get $ia) (i32.const 4)))
                (block $j_done
                  (loop $j_loop
                    (br_if $j_done (i32.ge_u (local.get $ja) (local.get $end)))
                    (local.set $par (i64.add (local.get $par) (i64.extend_i32_u (i32.load16_u
                      (i32.add (local.get $base) (i32.shl (i32.load (local.get $ja)) (i32.const 1)))))))
                    (local.set $ja (i32.add (local.get $ja) (i32.const 4)))
                    (br $j_loop)))
                (local.set $ia (i32.add (local.get $ia) (i32.const 4)))
                (br $i_loop))))
          (else
            ;; a dense row (the bias node): count its two-paths per target of layer l
            (memory.fill (local.get $cnt) (i32.const 0) (i32.shl (local.get $nColsB) (i32.const 2)))
            (block $b_done
              (loop $b_loop
                (br_if $b_done (i32.ge_u (local.get $ia) (local.get $end)))
                (local.set $f (i32.add (local.get $bIdx) (i32.shl (i32.load
                  (i32.add (local.get $bPtr) (i32.shl (i32.load (local.get $ia)) (i32.const 2)))) (i32.const 2))))
                (local.set $fEnd (i32.add (local.get $bIdx) (i32.shl (i32.load offset=4
                  (i32.add (local.get $bPtr) (i32.shl (i32.load (local.get $ia)) (i32.const 2)))) (i32.const 2))))
                (block $f_done
                  (loop $f_loop
                    (br_if $f_done (i32.ge_u (local.get $f) (local.get $fEnd)))
                    (local.set $c (i32.add (local.get $cnt) (i32.shl (i32.load (local.get $f)) (i32.const 2))))
                    (local.set $v (i32.load (local.get $c)))
                    (local.set $par (i64.add (local.get $par) (i64.extend_i32_u (local.get $v))))
                    (i32.store (local.get $c) (i32.add (local.get $v) (i32.const 1)))
                    (local.set $f (i32.add (local.get $f) (i32.const 4)))
                    (br $f_loop)))
                (local.set $ia (i32.add (local.get $ia) (i32.const 4)))
                (br $b_loop)))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows)))
    (f64.convert_i64_u (local.get $par)))
)
