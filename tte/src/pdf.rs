//! A small, defensive PDF object parser and cross-reference reader: just what incremental signing and
//! signature verification need. Every access is bounds-checked; malformed input gives `Err`, never a panic.
//! Supports classic xref tables, xref streams (FlateDecode with PNG predictors), hybrid files
//! (/XRefStm) and object streams. Encrypted PDFs are refused.

use std::collections::{HashMap, HashSet};

/// Parse error (a short English description).
pub(crate) type PResult<T> = Result<T, String>;

const MAX_DEPTH: usize = 64;
const MAX_INFLATE: usize = 64 * 1024 * 1024;

/// A PDF object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number, kept as written.
    Real(String),
    Name(Vec<u8>),
    /// A string with its byte span in the source (start of `(`/`<` .. end after `)`/`>`).
    Str(Vec<u8>, (usize, usize)),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32, u16),
    /// Stream dictionary and the byte range of its (encoded) data.
    Stream(Dict, (usize, usize)),
}

/// A dictionary, keys in order of appearance.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dict(pub Vec<(Vec<u8>, Obj)>);

impl Dict {
    pub fn get(&self, k: &[u8]) -> Option<&Obj> {
        self.0.iter().find(|(kk, _)| kk == k).map(|(_, v)| v)
    }
    pub fn set(&mut self, k: &[u8], v: Obj) {
        if let Some(slot) = self.0.iter_mut().find(|(kk, _)| kk == k) {
            slot.1 = v;
        } else {
            self.0.push((k.to_vec(), v));
        }
    }
    pub fn name(&self, k: &[u8]) -> Option<&[u8]> {
        match self.get(k) {
            Some(Obj::Name(n)) => Some(n),
            _ => None,
        }
    }
    pub fn int(&self, k: &[u8]) -> Option<i64> {
        match self.get(k) {
            Some(Obj::Int(i)) => Some(*i),
            _ => None,
        }
    }
    /// Equality ignoring the given keys and string spans.
    pub fn eq_except(&self, other: &Dict, except: &[&[u8]]) -> bool {
        let a: Vec<_> = self.0.iter().filter(|(k, _)| !except.contains(&k.as_slice())).collect();
        let b: Vec<_> = other.0.iter().filter(|(k, _)| !except.contains(&k.as_slice())).collect();
        a.len() == b.len()
            && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && obj_eq(v, v2)))
    }
}

/// Structural equality ignoring source positions of strings (stream data ranges are compared as-is).
pub(crate) fn obj_eq(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::Str(x, _), Obj::Str(y, _)) => x == y,
        (Obj::Array(x), Obj::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| obj_eq(p, q))
        }
        (Obj::Dict(x), Obj::Dict(y)) => x.eq_except(y, &[]),
        (Obj::Stream(..), Obj::Stream(..)) => false,
        _ => a == b,
    }
}

impl Obj {
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Obj::Dict(d) | Obj::Stream(d, _) => Some(d),
            _ => None,
        }
    }
    pub fn as_ref(&self) -> Option<(u32, u16)> {
        match self {
            Obj::Ref(n, g) => Some((*n, *g)),
            _ => None,
        }
    }
}

fn is_ws(c: u8) -> bool {
    matches!(c, 0 | 9 | 10 | 12 | 13 | 32)
}
fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Cursor over the file.
pub(crate) struct Lexer<'a> {
    pub d: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(d: &'a [u8], pos: usize) -> Self {
        Lexer { d, pos }
    }
    fn peek(&self) -> Option<u8> {
        self.d.get(self.pos).copied()
    }
    pub fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if is_ws(c) {
                self.pos += 1;
            } else if c == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }
    /// Reads a bare token (keyword or number) without consuming leading whitespace.
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_ws(c) || is_delim(c) {
                break;
            }
            self.pos += 1;
        }
        self.d.get(start..self.pos).unwrap_or_default()
    }
    pub fn keyword(&mut self, kw: &[u8]) -> bool {
        self.skip_ws();
        let save = self.pos;
        if self.word() == kw {
            true
        } else {
            self.pos = save;
            false
        }
    }
    fn uint(&mut self) -> Option<u64> {
        self.skip_ws();
        let save = self.pos;
        let w = self.word();
        if w.is_empty() || w.len() > 18 || !w.iter().all(u8::is_ascii_digit) {
            self.pos = save;
            return None;
        }
        std::str::from_utf8(w).ok()?.parse().ok()
    }

    /// Parses one object (no stream handling).
    pub fn object(&mut self, depth: usize) -> PResult<Obj> {
        if depth > MAX_DEPTH {
            return Err("nesting too deep".into());
        }
        self.skip_ws();
        let start = self.pos;
        let c = self.peek().ok_or("unexpected end of file")?;
        match c {
            b'/' => {
                self.pos += 1;
                let raw = self.word();
                Ok(Obj::Name(decode_name(raw)))
            }
            b'(' => {
                let s = self.literal_string()?;
                Ok(Obj::Str(s, (start, self.pos)))
            }
            b'<' => {
                if self.d.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    let mut dict = Dict::default();
                    loop {
                        self.skip_ws();
                        match self.peek() {
                            Some(b'>') => {
                                if self.d.get(self.pos + 1) == Some(&b'>') {
                                    self.pos += 2;
                                    return Ok(Obj::Dict(dict));
                                }
                                return Err("bad dictionary end".into());
                            }
                            Some(b'/') => {
                                self.pos += 1;
                                let k = decode_name(self.word());
                                let v = self.object(depth + 1)?;
                                if !dict.0.iter().any(|(kk, _)| *kk == k) {
                                    dict.0.push((k, v));
                                }
                            }
                            _ => return Err("bad dictionary key".into()),
                        }
                    }
                } else {
                    self.pos += 1;
                    let mut out = Vec::new();
                    let mut hi: Option<u8> = None;
                    loop {
                        let c = self.peek().ok_or("unterminated hex string")?;
                        self.pos += 1;
                        if c == b'>' {
                            break;
                        }
                        if is_ws(c) {
                            continue;
                        }
                        let v = (c as char).to_digit(16).ok_or("bad hex digit")? as u8;
                        match hi.take() {
                            None => hi = Some(v),
                            Some(h) => out.push(h << 4 | v),
                        }
                    }
                    if let Some(h) = hi {
                        out.push(h << 4);
                    }
                    Ok(Obj::Str(out, (start, self.pos)))
                }
            }
            b'[' => {
                self.pos += 1;
                let mut arr = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Obj::Array(arr));
                        }
                        None => return Err("unterminated array".into()),
                        _ => arr.push(self.object(depth + 1)?),
                    }
                }
            }
            _ => {
                let w = self.word();
                match w {
                    b"true" => Ok(Obj::Bool(true)),
                    b"false" => Ok(Obj::Bool(false)),
                    b"null" => Ok(Obj::Null),
                    _ if !w.is_empty()
                        && w.iter()
                            .all(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.')) =>
                    {
                        let s = std::str::from_utf8(w).map_err(|_| "bad number")?;
                        if s.contains('.') {
                            s.parse::<f64>().map_err(|_| "bad real")?;
                            return Ok(Obj::Real(s.to_string()));
                        }
                        let i: i64 = s.parse().map_err(|_| "bad integer")?;
                        // Reference "n g R"?
                        if i >= 0 && w.iter().all(u8::is_ascii_digit) {
                            let save = self.pos;
                            if let Some(g) = self.uint()
                                && self.keyword(b"R")
                                && i <= u32::MAX as i64
                                && g <= u16::MAX as u64
                            {
                                return Ok(Obj::Ref(i as u32, g as u16));
                            }
                            self.pos = save;
                        }
                        Ok(Obj::Int(i))
                    }
                    _ => Err(format!("unexpected token at {start}")),
                }
            }
        }
    }

    fn literal_string(&mut self) -> PResult<Vec<u8>> {
        self.pos += 1; // (
        let mut out = Vec::new();
        let mut level = 1usize;
        loop {
            let c = self.peek().ok_or("unterminated string")?;
            self.pos += 1;
            match c {
                b'(' => {
                    level += 1;
                    out.push(c);
                }
                b')' => {
                    level -= 1;
                    if level == 0 {
                        return Ok(out);
                    }
                    out.push(c);
                }
                b'\\' => {
                    let e = self.peek().ok_or("unterminated string")?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
    }
}

fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && i + 2 < raw.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

/// Cross-reference entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Free,
    Used { offset: usize, generation: u16 },
    InStream { stm: u32, idx: u32 },
}

/// One cross-reference section (table or stream) with its trailer.
#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub offset: usize,
    pub is_stream: bool,
    pub trailer: Dict,
    pub entries: Vec<(u32, Entry)>,
}

/// A decoded object stream: (/First, /N, data).
type DecodedObjStm = (usize, i64, Vec<u8>);

/// A parsed PDF (lazy object access).
pub(crate) struct Doc<'a> {
    pub data: &'a [u8],
    /// Newest first.
    pub sections: Vec<Section>,
    pub map: HashMap<u32, Entry>,
    pub trailer: Dict,
    pub startxref: usize,
    /// Decoded object streams ((number, offset) -> (First, N, data)).
    objstm_cache: std::cell::RefCell<HashMap<(u32, usize), std::rc::Rc<DecodedObjStm>>>,
}

/// Finds the last `startxref` value.
fn find_startxref(d: &[u8]) -> PResult<usize> {
    let key = b"startxref";
    let from = d.len().saturating_sub(4096);
    let tail = d.get(from..).unwrap_or_default();
    let rel = tail.windows(key.len()).rposition(|w| w == key).ok_or("startxref not found")?;
    let mut lx = Lexer::new(d, from + rel + key.len());
    let off = lx.uint().ok_or("bad startxref value")?;
    usize::try_from(off).map_err(|_| "bad startxref".to_string())
}

impl<'a> Doc<'a> {
    /// Parses the cross-reference chain.
    pub fn parse(data: &'a [u8]) -> PResult<Doc<'a>> {
        if !data.get(..1024.min(data.len())).unwrap_or_default().windows(5).any(|w| w == b"%PDF-") {
            return Err("not a PDF (no %PDF- header)".into());
        }
        let startxref = find_startxref(data)?;
        let mut sections = Vec::new();
        let mut seen = HashSet::new();
        let mut next = Some(startxref);
        while let Some(off) = next.take() {
            if !seen.insert(off) || sections.len() > 512 {
                return Err("xref chain loops or is too long".into());
            }
            let sec = read_section(data, off)?;
            let prev = sec.trailer.int(b"Prev");
            let xrefstm = sec.trailer.int(b"XRefStm");
            sections.push(sec);
            if let Some(x) = xrefstm {
                let x = usize::try_from(x).map_err(|_| "bad /XRefStm")?;
                if seen.insert(x) {
                    let mut s = read_section(data, x)?;
                    // Hybrid: the stream's entries rank below the table's.
                    s.offset = sections.last().map(|l: &Section| l.offset).unwrap_or(x);
                    sections.push(s);
                }
            }
            if let Some(p) = prev {
                next = Some(usize::try_from(p).map_err(|_| "bad /Prev")?);
            }
        }
        let trailer = sections.first().map(|s| s.trailer.clone()).ok_or("no xref")?;
        if trailer.get(b"Encrypt").is_some() {
            return Err("encrypted PDFs are not supported".into());
        }
        let map = merge(&sections, usize::MAX);
        Ok(Doc { data, sections, map, trailer, startxref, objstm_cache: Default::default() })
    }

    /// Object map as of the revision that ends at byte `end` (sections located before `end`).
    pub fn map_before(&self, end: usize) -> HashMap<u32, Entry> {
        merge(&self.sections, end)
    }

    /// Trailer of the newest section before `end`.
    pub fn trailer_before(&self, end: usize) -> Option<&Dict> {
        self.sections.iter().find(|s| s.offset < end).map(|s| &s.trailer)
    }

    /// Loads object `num` using `map`.
    pub fn get_in(&self, map: &HashMap<u32, Entry>, num: u32) -> PResult<Obj> {
        match map.get(&num) {
            None | Some(Entry::Free) => Ok(Obj::Null),
            Some(Entry::Used { offset, .. }) => Ok(self.object_at(*offset, Some(num))?.2),
            Some(Entry::InStream { stm, idx }) => self.object_in_stream(map, *stm, *idx, num),
        }
    }

    /// Loads object `num` from the newest revision.
    pub fn get(&self, num: u32) -> PResult<Obj> {
        self.get_in(&self.map, num)
    }

    /// Resolves a reference (one level) in the newest revision.
    pub fn resolve(&self, o: &Obj) -> PResult<Obj> {
        match o {
            Obj::Ref(n, _) => self.get(*n),
            other => Ok(other.clone()),
        }
    }

    /// Resolves in a given map.
    pub fn resolve_in(&self, map: &HashMap<u32, Entry>, o: &Obj) -> PResult<Obj> {
        match o {
            Obj::Ref(n, _) => self.get_in(map, *n),
            other => Ok(other.clone()),
        }
    }

    /// Parses `num gen obj ... endobj` at `offset`; returns (num, gen, object, end offset).
    pub fn object_at(&self, offset: usize, expect: Option<u32>) -> PResult<(u32, u16, Obj, usize)> {
        let mut lx = Lexer::new(self.data, offset);
        let num = lx.uint().ok_or("object number expected")?;
        let generation = lx.uint().ok_or("generation expected")?;
        if !lx.keyword(b"obj") {
            return Err(format!("'obj' expected at {offset}"));
        }
        let num = u32::try_from(num).map_err(|_| "object number too large")?;
        if let Some(e) = expect
            && e != num
        {
            return Err(format!("xref points to object {num}, expected {e}"));
        }
        let obj = lx.object(0)?;
        let obj = self.maybe_stream(&mut lx, obj)?;
        lx.skip_ws();
        lx.keyword(b"endobj");
        Ok((num, u16::try_from(generation).unwrap_or(u16::MAX), obj, lx.pos))
    }

    fn maybe_stream(&self, lx: &mut Lexer<'a>, obj: Obj) -> PResult<Obj> {
        let Obj::Dict(dict) = obj else { return Ok(obj) };
        let save = lx.pos;
        if !lx.keyword(b"stream") {
            lx.pos = save;
            return Ok(Obj::Dict(dict));
        }
        // EOL after "stream": CRLF or LF (tolerate lone CR).
        match (self.data.get(lx.pos), self.data.get(lx.pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => lx.pos += 2,
            (Some(b'\n'), _) | (Some(b'\r'), _) => lx.pos += 1,
            _ => {}
        }
        let start = lx.pos;
        let len = match dict.get(b"Length") {
            Some(Obj::Int(i)) => usize::try_from(*i).ok(),
            Some(Obj::Ref(n, _)) => match self.map.get(n) {
                Some(Entry::Used { offset, .. }) => {
                    let mut l2 = Lexer::new(self.data, *offset);
                    l2.uint();
                    l2.uint();
                    if l2.keyword(b"obj") {
                        l2.uint().and_then(|v| usize::try_from(v).ok())
                    } else {
                        None
                    }
                }
                _ => None,
            },
            _ => None,
        };
        let end_ok = |end: usize| {
            let mut l = Lexer::new(self.data, end);
            l.keyword(b"endstream")
        };
        let end = match len.and_then(|l| start.checked_add(l)) {
            Some(end) if end <= self.data.len() && end_ok(end) => end,
            _ => {
                let rel = self
                    .data
                    .get(start..)
                    .unwrap_or_default()
                    .windows(9)
                    .position(|w| w == b"endstream")
                    .ok_or("endstream not found")?;
                let mut e = start + rel;
                if e > start && self.data.get(e - 1) == Some(&b'\n') {
                    e -= 1;
                }
                if e > start && self.data.get(e - 1) == Some(&b'\r') {
                    e -= 1;
                }
                e
            }
        };
        let mut l = Lexer::new(self.data, end);
        l.keyword(b"endstream");
        lx.pos = l.pos;
        Ok(Obj::Stream(dict, (start, end)))
    }

    /// Decoded data of a stream (FlateDecode, optionally with a PNG predictor, or no filter).
    pub fn stream_data(&self, dict: &Dict, range: (usize, usize)) -> PResult<Vec<u8>> {
        let raw = self.data.get(range.0..range.1).ok_or("stream out of range")?;
        decode_stream(dict, raw)
    }

    fn object_in_stream(
        &self,
        map: &HashMap<u32, Entry>,
        stm: u32,
        idx: u32,
        num: u32,
    ) -> PResult<Obj> {
        let Some(Entry::Used { offset, .. }) = map.get(&stm) else {
            return Err("object stream not found".into());
        };
        let key = (stm, *offset);
        let cached = self.objstm_cache.borrow().get(&key).cloned();
        let entry = match cached {
            Some(e) => e,
            None => {
                let (_, _, o, _) = self.object_at(*offset, Some(stm))?;
                let Obj::Stream(dict, range) = o else {
                    return Err("object stream expected".into());
                };
                let data = self.stream_data(&dict, range)?;
                let n = dict.int(b"N").ok_or("/N missing")?;
                let first = usize::try_from(dict.int(b"First").ok_or("/First missing")?)
                    .map_err(|_| "bad /First")?;
                let e = std::rc::Rc::new((first, n, data));
                let mut cache = self.objstm_cache.borrow_mut();
                if cache.len() < 256 {
                    cache.insert(key, e.clone());
                }
                e
            }
        };
        let (first, n, data) = (entry.0, entry.1, &entry.2);
        if !(0..=1_000_000).contains(&n) || idx as i64 >= n {
            return Err("bad object stream index".into());
        }
        let mut lx = Lexer::new(data, 0);
        let mut found = None;
        for i in 0..=idx {
            let on = lx.uint().ok_or("bad object stream header")?;
            let off = lx.uint().ok_or("bad object stream header")?;
            if i == idx {
                found = Some((on, off));
            }
        }
        let (on, off) = found.ok_or("object not in stream")?;
        if on != num as u64 {
            return Err("object stream index mismatch".into());
        }
        let pos = first
            .checked_add(usize::try_from(off).map_err(|_| "bad offset")?)
            .ok_or("bad offset")?;
        let mut lx = Lexer::new(data, pos);
        let o = lx.object(0)?;
        // Spans refer to the decoded stream, not the file: drop them.
        Ok(strip_spans(o))
    }

    /// Page object references in document order.
    pub fn pages(&self) -> PResult<Vec<(u32, u16)>> {
        let root = self.trailer.get(b"Root").and_then(Obj::as_ref).ok_or("/Root missing")?;
        let cat = self.get(root.0)?;
        let cat = cat.as_dict().ok_or("catalog is not a dictionary")?;
        let pages = cat.get(b"Pages").and_then(Obj::as_ref).ok_or("/Pages missing")?;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.walk_pages(pages, &mut out, &mut seen, 0)?;
        Ok(out)
    }

    fn walk_pages(
        &self,
        node: (u32, u16),
        out: &mut Vec<(u32, u16)>,
        seen: &mut HashSet<u32>,
        depth: usize,
    ) -> PResult<()> {
        if depth > 64 || !seen.insert(node.0) || out.len() > 100_000 {
            return Err("page tree loops or is too deep".into());
        }
        let o = self.get(node.0)?;
        let d = o.as_dict().ok_or("page tree node is not a dictionary")?;
        match d.name(b"Type") {
            Some(b"Page") => out.push(node),
            _ => {
                let kids = self.resolve(d.get(b"Kids").ok_or("/Kids missing")?)?;
                let Obj::Array(kids) = kids else {
                    return Err("/Kids is not an array".into());
                };
                for k in kids {
                    let r = k.as_ref().ok_or("kid is not a reference")?;
                    self.walk_pages(r, out, seen, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}

fn strip_spans(o: Obj) -> Obj {
    match o {
        Obj::Str(s, _) => Obj::Str(s, (0, 0)),
        Obj::Array(a) => Obj::Array(a.into_iter().map(strip_spans).collect()),
        Obj::Dict(d) => {
            Obj::Dict(Dict(d.0.into_iter().map(|(k, v)| (k, strip_spans(v))).collect()))
        }
        other => other,
    }
}

fn merge(sections: &[Section], before: usize) -> HashMap<u32, Entry> {
    let mut map = HashMap::new();
    for s in sections.iter().filter(|s| s.offset < before) {
        for (n, e) in &s.entries {
            map.entry(*n).or_insert(*e);
        }
    }
    map
}

fn read_section(d: &[u8], off: usize) -> PResult<Section> {
    if off >= d.len() {
        return Err("xref offset beyond end of file".into());
    }
    let mut lx = Lexer::new(d, off);
    if lx.keyword(b"xref") {
        let mut entries = Vec::new();
        loop {
            lx.skip_ws();
            let save = lx.pos;
            if lx.keyword(b"trailer") {
                break;
            }
            lx.pos = save;
            let start = lx.uint().ok_or("bad xref subsection")?;
            let count = lx.uint().ok_or("bad xref subsection")?;
            if count > 10_000_000 || start > u32::MAX as u64 {
                return Err("xref subsection too large".into());
            }
            for i in 0..count {
                let o = lx.uint().ok_or("bad xref entry")?;
                let g = lx.uint().ok_or("bad xref entry")?;
                lx.skip_ws();
                let kind = lx.word();
                let num = u32::try_from(start + i).map_err(|_| "bad object number")?;
                let e = match kind {
                    b"n" => Entry::Used {
                        offset: usize::try_from(o).map_err(|_| "bad offset")?,
                        generation: u16::try_from(g).unwrap_or(u16::MAX),
                    },
                    b"f" => Entry::Free,
                    _ => return Err("bad xref entry type".into()),
                };
                entries.push((num, e));
            }
        }
        let trailer = match lx.object(0)? {
            Obj::Dict(t) => t,
            _ => return Err("trailer is not a dictionary".into()),
        };
        return Ok(Section { offset: off, is_stream: false, trailer, entries });
    }
    // Xref stream.
    let doc = Doc {
        data: d,
        sections: vec![],
        map: HashMap::new(),
        trailer: Dict::default(),
        startxref: off,
        objstm_cache: Default::default(),
    };
    let (_, _, o, _) = doc.object_at(off, None)?;
    let Obj::Stream(dict, range) = o else {
        return Err("xref stream expected".into());
    };
    if dict.name(b"Type") != Some(b"XRef") {
        return Err("xref stream expected".into());
    }
    let data = doc.stream_data(&dict, range)?;
    let w: Vec<usize> = match dict.get(b"W") {
        Some(Obj::Array(a)) if a.len() == 3 => a
            .iter()
            .map(|x| match x {
                Obj::Int(i) if (0..=8).contains(i) => Ok(*i as usize),
                _ => Err("bad /W".to_string()),
            })
            .collect::<PResult<_>>()?,
        _ => return Err("bad /W".into()),
    };
    let size = dict.int(b"Size").ok_or("/Size missing")?;
    let index: Vec<(u64, u64)> = match dict.get(b"Index") {
        Some(Obj::Array(a)) => {
            let mut v = Vec::new();
            for p in a.chunks(2) {
                match p {
                    [Obj::Int(s), Obj::Int(c)] if *s >= 0 && *c >= 0 => {
                        v.push((*s as u64, *c as u64))
                    }
                    _ => return Err("bad /Index".into()),
                }
            }
            v
        }
        _ => vec![(0, u64::try_from(size).map_err(|_| "bad /Size")?)],
    };
    let row = w[0] + w[1] + w[2];
    if row == 0 {
        return Err("bad /W".into());
    }
    let mut entries = Vec::new();
    let mut pos = 0usize;
    let field = |b: &[u8]| b.iter().fold(0u64, |a, x| (a << 8) | *x as u64);
    for (start, count) in index {
        for i in 0..count {
            let Some(r) = data.get(pos..pos + row) else {
                return Err("xref stream too short".into());
            };
            pos += row;
            let t = if w[0] == 0 { 1 } else { field(&r[..w[0]]) };
            let f2 = field(&r[w[0]..w[0] + w[1]]);
            let f3 = field(&r[w[0] + w[1]..]);
            let num = u32::try_from(start + i).map_err(|_| "bad object number")?;
            let e = match t {
                0 => Entry::Free,
                1 => Entry::Used {
                    offset: usize::try_from(f2).map_err(|_| "bad offset")?,
                    generation: u16::try_from(f3).unwrap_or(u16::MAX),
                },
                2 => Entry::InStream {
                    stm: u32::try_from(f2).map_err(|_| "bad stream number")?,
                    idx: u32::try_from(f3).map_err(|_| "bad index")?,
                },
                _ => continue,
            };
            entries.push((num, e));
        }
    }
    Ok(Section { offset: off, is_stream: true, trailer: dict, entries })
}

/// Decodes stream data: no filter or FlateDecode (with PNG predictors).
pub(crate) fn decode_stream(dict: &Dict, raw: &[u8]) -> PResult<Vec<u8>> {
    let filter = match dict.get(b"Filter") {
        None => None,
        Some(Obj::Name(n)) => Some(n.clone()),
        Some(Obj::Array(a)) if a.len() == 1 => match &a[0] {
            Obj::Name(n) => Some(n.clone()),
            _ => return Err("bad /Filter".into()),
        },
        Some(Obj::Array(a)) if a.is_empty() => None,
        _ => return Err("unsupported /Filter".into()),
    };
    let data = match filter.as_deref() {
        None => return Ok(raw.to_vec()),
        Some(b"FlateDecode") => {
            miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(raw, MAX_INFLATE)
                .map_err(|_| "FlateDecode failed".to_string())?
        }
        Some(_) => return Err("unsupported stream filter".into()),
    };
    let parms = match dict.get(b"DecodeParms") {
        Some(Obj::Dict(p)) => Some(p.clone()),
        Some(Obj::Array(a)) => a.first().and_then(|x| x.as_dict().cloned()),
        _ => None,
    };
    let predictor = parms.as_ref().and_then(|p| p.int(b"Predictor")).unwrap_or(1);
    if predictor < 10 {
        if predictor == 1 {
            return Ok(data);
        }
        return Err("unsupported predictor".into());
    }
    let columns = parms.as_ref().and_then(|p| p.int(b"Columns")).unwrap_or(1);
    let colors = parms.as_ref().and_then(|p| p.int(b"Colors")).unwrap_or(1);
    let bpc = parms.as_ref().and_then(|p| p.int(b"BitsPerComponent")).unwrap_or(8);
    if !(1..=100_000).contains(&columns)
        || !(1..=32).contains(&colors)
        || !matches!(bpc, 1 | 2 | 4 | 8 | 16)
    {
        return Err("bad predictor parameters".into());
    }
    let bpp = ((colors * bpc + 7) / 8) as usize;
    let row_len = ((columns * colors * bpc + 7) / 8) as usize;
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row_len];
    for chunk in data.chunks(row_len + 1) {
        if chunk.len() < row_len + 1 {
            break;
        }
        let ft = chunk[0];
        let mut row = chunk[1..].to_vec();
        for i in 0..row_len {
            let a = if i >= bpp { row[i - bpp] } else { 0 } as i32;
            let b = prev[i] as i32;
            let c = if i >= bpp { prev[i - bpp] } else { 0 } as i32;
            let add = match ft {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => return Err("bad PNG predictor".into()),
            };
            row[i] = row[i].wrapping_add(add as u8);
        }
        out.extend_from_slice(&row);
        prev = row;
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/// Serialises an object.
pub(crate) fn write_obj(o: &Obj, out: &mut Vec<u8>) {
    match o {
        Obj::Null => out.extend_from_slice(b"null"),
        Obj::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Obj::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Obj::Real(r) => out.extend_from_slice(r.as_bytes()),
        Obj::Name(n) => write_name(n, out),
        Obj::Str(s, _) => write_string(s, out),
        Obj::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_obj(x, out);
            }
            out.push(b']');
        }
        Obj::Dict(d) | Obj::Stream(d, _) => write_dict(d, out),
        Obj::Ref(n, g) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

pub(crate) fn write_dict(d: &Dict, out: &mut Vec<u8>) {
    out.extend_from_slice(b"<<");
    for (k, v) in &d.0 {
        write_name(k, out);
        out.push(b' ');
        write_obj(v, out);
    }
    out.extend_from_slice(b">>");
}

pub(crate) fn write_name(n: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &c in n {
        if c <= b' ' || c >= 0x7f || is_delim(c) || c == b'#' {
            out.extend_from_slice(format!("#{c:02X}").as_bytes());
        } else {
            out.push(c);
        }
    }
}

pub(crate) fn write_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'(');
    for &c in s {
        match c {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(c),
        }
    }
    out.push(b')');
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, otherwise UTF-16BE with BOM.
pub(crate) fn text_string(s: &str) -> Obj {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Obj::Str(s.as_bytes().to_vec(), (0, 0))
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        Obj::Str(v, (0, 0))
    }
}

/// Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding ~ Latin-1).
pub(crate) fn decode_text(b: &[u8]) -> String {
    if b.starts_with(&[0xfe, 0xff]) {
        let u: Vec<u16> = b[2..]
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&u)
    } else if b.starts_with(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(&b[3..]).into_owned()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Annots [] >>\nendobj\n";

    fn mini_pdf() -> Vec<u8> {
        let mut v = MINI.to_vec();
        let offs: Vec<usize> = [b"1 0 obj", b"2 0 obj", b"3 0 obj"]
            .iter()
            .map(|k| v.windows(7).position(|w| w == *k).unwrap())
            .collect();
        let xref = v.len();
        v.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for o in offs {
            v.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        v.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        v
    }

    #[test]
    fn parses_mini_pdf() {
        let pdf = mini_pdf();
        let doc = Doc::parse(&pdf).unwrap();
        assert_eq!(doc.pages().unwrap(), vec![(3, 0)]);
        let p = doc.get(3).unwrap();
        let d = p.as_dict().unwrap();
        assert_eq!(
            d.get(b"MediaBox"),
            Some(&Obj::Array(vec![
                Obj::Int(0),
                Obj::Int(0),
                Obj::Real("595.28".into()),
                Obj::Real("841.89".into())
            ]))
        );
    }

    #[test]
    fn strings_and_names() {
        let src = b"<< /A (a\\(b\\)c\\101\\n) /B <48 65 6C6c6F> /C#20D 1 /E [1 2 R 3] >>";
        let mut lx = Lexer::new(src, 0);
        let o = lx.object(0).unwrap();
        let d = o.as_dict().unwrap();
        assert!(matches!(d.get(b"A"), Some(Obj::Str(s, _)) if s == b"a(b)cA\n"));
        assert!(matches!(d.get(b"B"), Some(Obj::Str(s, _)) if s == b"Hello"));
        assert_eq!(d.get(b"C D"), Some(&Obj::Int(1)));
        assert_eq!(d.get(b"E"), Some(&Obj::Array(vec![Obj::Ref(1, 2), Obj::Int(3)])));
        let mut out = Vec::new();
        write_obj(&o, &mut out);
        let o2 = Lexer::new(&out, 0).object(0).unwrap();
        assert!(obj_eq(&o, &o2));
    }

    #[test]
    fn garbage_never_panics() {
        let cases: Vec<&[u8]> = vec![
            b"",
            b"%PDF-",
            b"%PDF-1.7\nstartxref\n999999999999\n%%EOF",
            b"%PDF-1.7 [[[[[[[[[[[[",
            b"<<<<<<",
            b"(((((",
            b"/#",
            b"/#4",
        ];
        for c in cases {
            let _ = Doc::parse(c);
            let _ = Lexer::new(c, 0).object(0);
        }
        let deep = vec![b'['; 100_000];
        assert!(Lexer::new(&deep, 0).object(0).is_err());
    }

    #[test]
    fn png_up_predictor() {
        // Two rows of 2 columns, Up predictor.
        let raw = [2u8, 1, 2, 2, 1, 1];
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
        let mut parms = Dict::default();
        parms.set(b"Predictor", Obj::Int(12));
        parms.set(b"Columns", Obj::Int(2));
        let mut d = Dict::default();
        d.set(b"Filter", Obj::Name(b"FlateDecode".to_vec()));
        d.set(b"DecodeParms", Obj::Dict(parms));
        assert_eq!(decode_stream(&d, &z).unwrap(), vec![1, 2, 2, 3]);
    }
}
