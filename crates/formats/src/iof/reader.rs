//! The streaming reader: quick-xml events in, one `client` at a time, flattened into cells
//! by the column table and parsed by the shared [`RowParser`].

use std::io::{self, BufReader, Read};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::dialect::RowSource;
use crate::encoding::DecodingReader;
use crate::error::{MAX_CELL_BYTES, TextError};
use crate::tabular::{HeaderBinding, RowParser, SourceRow};
use crate::{FormatError, TextEncoding};

use super::tree::{Elem, Path};

/// The most XML text one `client` element may hold. A client is a few hundred bytes; the
/// cap keeps a hostile or broken file (one endless element) from filling the memory.
pub(super) const MAX_CLIENT_BYTES: u64 = 4 * 1024 * 1024;

/// How deep elements may nest, counting the `client` element (or an unknown element beside
/// the clients) as the first level. The column table reaches three levels down
/// (`client/phones/phone/@number`); real files have no more than a few.
pub(super) const MAX_DEPTH: usize = 32;

/// The XML text: decoded, with its tags and texts bounded.
type Xml<'a> = quick_xml::Reader<BufReader<Markup<DecodingReader<Box<dyn Read + 'a>>>>>;

/// An IOF client file being read.
pub(super) struct IofSource<'a> {
    xml: Xml<'a>,
    buf: Vec<u8>,
    /// Newlines passed so far: the current event starts on line `newlines + 1`.
    newlines: u64,
    paths: Vec<Path>,
    parser: RowParser,
    state: State,
}

#[derive(PartialEq, Eq)]
enum State {
    Prolog,
    InRoot,
    Done,
}

fn xml_error(line: u64, message: impl Into<String>) -> FormatError {
    FormatError::Xml {
        line,
        message: message.into(),
    }
}

impl<'a> IofSource<'a> {
    pub(super) fn open(
        input: Box<dyn Read + 'a>,
        encoding: Option<TextEncoding>,
        parser: RowParser,
    ) -> Result<Self, FormatError> {
        let decoded = DecodingReader::new(input, encoding, TextEncoding::Windows1250);
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(Markup::new(decoded)));
        let config = xml.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        let paths = super::COLUMNS.iter().map(Path::compile).collect();
        let mut source = Self {
            xml,
            buf: Vec::new(),
            newlines: 0,
            paths,
            parser,
            state: State::Prolog,
        };
        source.find_root()?;
        Ok(source)
    }

    fn line(&self) -> u64 {
        self.newlines + 1
    }

    /// Reads one event into `self.buf`, counting the lines it spans. The event borrows the
    /// buffer, so callers get an owned copy of what they need.
    fn next_event(&mut self) -> Result<Event<'static>, FormatError> {
        self.buf.clear();
        let line = self.line();
        let event = self.xml.read_event_into(&mut self.buf).map_err(|e| {
            match &e {
                quick_xml::Error::Io(io) => TextError::carried(io).map(FormatError::Text),
                _ => None,
            }
            .unwrap_or_else(|| xml_error(line, format!("the XML is not well-formed: {e}")))
        })?;
        let event = event.into_owned();
        self.newlines += event.matches('\n').count() as u64;
        Ok(event)
    }

    /// Reads up to the `<clients>` start tag, refusing a DOCTYPE on the way.
    fn find_root(&mut self) -> Result<(), FormatError> {
        loop {
            let line = self.line();
            match self.next_event()? {
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Text(t) if t.trim().is_empty() => {}
                Event::DocType(_) => {
                    return Err(xml_error(
                        line,
                        "the file declares a DOCTYPE; custio never loads DTDs or expands their \
entities (that is how XXE attacks read files). Remove the <!DOCTYPE ...> declaration and try again",
                    ));
                }
                Event::Start(e) if e.local_name().as_ref() == "clients" => {
                    self.state = State::InRoot;
                    return Ok(());
                }
                Event::Empty(e) if e.local_name().as_ref() == "clients" => {
                    self.state = State::Done;
                    return Ok(());
                }
                Event::Start(e) | Event::Empty(e) => {
                    return Err(FormatError::NotThisFormat {
                        dialect: "IOF 3.0",
                        reason: format!(
                            "line {line}: the root element is <{}>, not <clients>",
                            e.name().as_ref()
                        ),
                    });
                }
                Event::Eof => {
                    return Err(FormatError::NotThisFormat {
                        dialect: "IOF 3.0",
                        reason: "the file holds no <clients> element".into(),
                    });
                }
                _ => {
                    return Err(FormatError::NotThisFormat {
                        dialect: "IOF 3.0",
                        reason: format!(
                            "line {line}: text before the <clients> element; is this an XML file?"
                        ),
                    });
                }
            }
        }
    }

    /// Reads the children of an element whose start tag was just read, into `root`. The
    /// open elements below it are kept on an explicit stack of at most [`MAX_DEPTH`], so no
    /// nesting can overflow the thread's stack.
    fn read_children(&mut self, root: &mut Elem, start: u64) -> Result<(), FormatError> {
        let mut open: Vec<Elem> = Vec::new();
        loop {
            if self.xml.buffer_position().saturating_sub(start) > MAX_CLIENT_BYTES {
                return Err(xml_error(
                    self.line(),
                    format!(
                        "a <{}> element is larger than {} MiB; the file is probably broken",
                        root.name,
                        MAX_CLIENT_BYTES / (1024 * 1024)
                    ),
                ));
            }
            let line = self.line();
            let event = self.next_event()?;
            let current = match open.last_mut() {
                Some(elem) => elem,
                None => &mut *root,
            };
            match event {
                Event::Start(e) => {
                    if open.len() + 1 >= MAX_DEPTH {
                        return Err(FormatError::TooDeep {
                            line,
                            element: root.name.clone(),
                            max: MAX_DEPTH,
                        });
                    }
                    open.push(element(&e, line)?);
                }
                Event::Empty(e) => current.children.push(element(&e, line)?),
                Event::End(_) => match open.pop() {
                    Some(done) => match open.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => root.children.push(done),
                    },
                    None => return Ok(()),
                },
                Event::Text(t) => current.text.push_str(&t.xml10_content()),
                Event::CData(t) => current.text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => current.text.push(c),
                    Ok(None) => match predefined(&r) {
                        Some(c) => current.text.push(c),
                        None => {
                            return Err(xml_error(
                                line,
                                format!(
                                    "the entity &{}; is not defined; only &amp; &lt; &gt; &quot; &apos; and character references are allowed",
                                    &*r
                                ),
                            ));
                        }
                    },
                    Err(e) => return Err(xml_error(line, format!("bad character reference: {e}"))),
                },
                Event::Comment(_) | Event::PI(_) => {}
                Event::DocType(_) => {
                    return Err(xml_error(
                        line,
                        "a DOCTYPE inside the document is not allowed",
                    ));
                }
                Event::Decl(_) => {
                    return Err(xml_error(line, "an XML declaration inside the document"));
                }
                Event::Eof => {
                    return Err(xml_error(
                        line,
                        format!(
                            "the file ends inside <{}>; it is probably truncated",
                            current.name
                        ),
                    ));
                }
            }
        }
    }

    fn parse_client(&mut self, client: Elem, line: u64) -> SourceRow {
        let cells: Vec<String> = self
            .paths
            .iter()
            .map(|p| p.extract(&client).trim().to_string())
            .collect();
        self.parser.parse(line, cells)
    }
}

/// A reader that fails once a tag or a run of text (the bytes between two angle brackets)
/// grows past [`MAX_CELL_BYTES`]: quick-xml holds a whole event in memory, so one endless
/// attribute or text could otherwise fill it.
struct Markup<R> {
    inner: R,
    run: usize,
    newlines: u64,
    failed: bool,
}

impl<R> Markup<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            run: 0,
            newlines: 0,
            failed: false,
        }
    }

    fn error(&self) -> io::Error {
        TextError::MarkupTooLarge {
            line: self.newlines + 1,
        }
        .into_io()
    }
}

impl<R: Read> Read for Markup<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(self.error());
        }
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            match b {
                b'<' | b'>' => self.run = 0,
                b'\n' => {
                    self.newlines += 1;
                    self.run += 1;
                }
                _ => self.run += 1,
            }
            if self.run > MAX_CELL_BYTES {
                self.failed = true;
                return Err(self.error());
            }
        }
        Ok(n)
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// An element from its start tag: local names, attribute values with the predefined
/// entities and character references resolved (any other entity is an error).
fn element(e: &BytesStart, line: u64) -> Result<Elem, FormatError> {
    let mut elem = Elem {
        name: e.local_name().as_ref().to_string(),
        ..Elem::default()
    };
    for attr in e.attributes() {
        let attr = attr.map_err(|err| xml_error(line, format!("bad attribute: {err}")))?;
        let key = attr.key.local_name().as_ref().to_string();
        if attr.key.as_ref() == "xmlns" || attr.key.as_ref().starts_with("xmlns:") {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| {
                xml_error(line, format!("attribute '{key}' of <{}>: {err}", elem.name))
            })?;
        elem.attrs.push((key, value.into_owned()));
    }
    Ok(elem)
}

impl RowSource for IofSource<'_> {
    fn binding(&self) -> &HeaderBinding {
        self.parser.binding()
    }

    fn encoding(&self) -> TextEncoding {
        self.xml.get_ref().get_ref().inner.encoding()
    }

    fn next_row(&mut self) -> Option<Result<SourceRow, FormatError>> {
        while self.state == State::InRoot {
            let line = self.line();
            let event = match self.next_event() {
                Ok(e) => e,
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
            };
            let result = match event {
                Event::Start(e) if e.local_name().as_ref() == "client" => {
                    let start = self.xml.buffer_position();
                    element(&e, line).and_then(|mut client| {
                        self.read_children(&mut client, start)?;
                        Ok(Some(client))
                    })
                }
                Event::Empty(e) if e.local_name().as_ref() == "client" => {
                    element(&e, line).map(Some)
                }
                // Unknown elements beside the clients are read past.
                Event::Start(e) => element(&e, line).and_then(|mut other| {
                    let start = self.xml.buffer_position();
                    self.read_children(&mut other, start)?;
                    Ok(None)
                }),
                Event::End(_) => {
                    self.state = State::Done;
                    Ok(None)
                }
                Event::Eof => Err(xml_error(
                    line,
                    "the file ends inside <clients>; it is probably truncated",
                )),
                Event::DocType(_) => Err(xml_error(
                    line,
                    "a DOCTYPE inside the document is not allowed",
                )),
                Event::GeneralRef(r) if r.is_char_ref() || predefined(&r).is_some() => Ok(None),
                Event::GeneralRef(r) => Err(xml_error(
                    line,
                    format!("the entity &{}; is not defined", &*r),
                )),
                _ => Ok(None),
            };
            match result {
                Ok(Some(client)) => return Some(Ok(self.parse_client(client, line))),
                Ok(None) => {}
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
            }
        }
        None
    }
}
