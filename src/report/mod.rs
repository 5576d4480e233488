/*!
The visual report (`--report report.html`): one self-contained HTML file that shows a
simulation's sessions as timeline lanes (actions, pages, state phases, fires), with charts
per product and a detail view per session.

The report is drawn from what the run already produced, never from a second simulation:

* [`Marks`] collects the sessions' actions while the recording is read: the simulator's own
  reading of each line ([`SimEvent`](crate::triggers::engine::SimEvent): ids, time, URLs) plus the action types and the user id
  that the simulator has no use for ([`LineMarks::read`], through [`crate::event::line`]);
* [`build`] takes the run's [`SimOutput`](crate::triggers::engine::SimOutput) (the records `--format json` prints, in the same
  order) and those marks, and derives everything else from the records: fires, timeouts,
  the state phases (a fire's `state`, a timeout back to thinking and its cooldown, the
  cooldown cleared, reactive, tours), the charts per product;
* [`html::write`] puts the data, the template, the styles and the script (all under
  `templates/report/`, embedded in the binary) into one file with no reference to any host.

Each record's details are kept as the record's own JSON (interned: most fires repeat the same
trigger, body and chips), so fields that records gain later (a `why` object on fires and
evaluations) reach the report without a change here, and the page shows a `why` as the
reasons when one is present. A live run (`triggers watch --report`) gathers the same inputs
as it goes in a [`LiveReport`] (within [`Limits`]: a stream has no end) and builds the page
at exit. A tuning run plugs in through [`Report::tune`] (one row per combination with its
fire counts); the page draws that table when it is set.
*/

pub(crate) mod html;
mod live;
mod marks;
mod model;

pub(crate) use live::{Limits, LiveReport};
pub(crate) use marks::{LineMarks, LineMarksReader, Marks};
pub(crate) use model::{Header, Report, SessionLines, TuneRow, build, build_from_lines};
