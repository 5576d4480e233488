/*!
The SDK's v2 session state machine (autoplay-sdk 0.7.3,
`autoplay_sdk.agent_state_v2.session_state.SessionState`) with the SDK's exact
comparisons: the interaction timeout fires only when `now - last_interaction_at > timeout`
(strictly), a cooldown clears when `now - cooldown_started_at >= period`, and the cooldown of
a timeout is anchored at the tick that detected it.

Time is passed in (`now`, seconds as `f64`); nothing here reads a clock. Tour timings come
from the tour registry as written, so a value the SDK cannot compare (a string, `null`)
surfaces as the `TypeError` the SDK would raise ([`StateError::Sdk`]).
*/

use serde_json::{Map, Value, json};

use super::config::{SdkRaise, TourRegistry};
use crate::py;

/// `AgentStateV2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentState {
    /// `thinking`: watching, may go proactive.
    Thinking,
    /// `proactive_assistance`: a proactive message was delivered.
    Proactive,
    /// `reactive_assistance`: the user reached out.
    Reactive,
}

impl AgentState {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Thinking => "thinking",
            AgentState::Proactive => "proactive_assistance",
            AgentState::Reactive => "reactive_assistance",
        }
    }

    /// The state a wire value names.
    pub fn from_wire(value: &str) -> Option<AgentState> {
        match value {
            "thinking" => Some(AgentState::Thinking),
            "proactive_assistance" => Some(AgentState::Proactive),
            "reactive_assistance" => Some(AgentState::Reactive),
            _ => None,
        }
    }

    fn upper(self) -> &'static str {
        match self {
            AgentState::Thinking => "THINKING",
            AgentState::Proactive => "PROACTIVE",
            AgentState::Reactive => "REACTIVE",
        }
    }
}

/// What a state method can raise.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StateError {
    /// `InvalidTransitionError` (not fatal to a simulation).
    #[error("{0}")]
    InvalidTransition(String),
    /// Any other exception the SDK would raise on these values.
    #[error("{0}")]
    Sdk(SdkRaise),
}

/// `ThinkingState`.
#[derive(Debug, Clone, PartialEq)]
pub struct ThinkingState {
    /// Whether a cooldown is running.
    pub cooldown_active: bool,
    /// When the running cooldown started.
    pub cooldown_started_at: f64,
    /// The override period as written (a tour's `cooldown_period_s`), `None` for the session's.
    pub active_cooldown_period_s: Option<Value>,
}

impl Default for ThinkingState {
    fn default() -> Self {
        ThinkingState { cooldown_active: false, cooldown_started_at: 0.0, active_cooldown_period_s: None }
    }
}

impl ThinkingState {
    /// Starts a cooldown at `now`, with the period of the running tour when one is given.
    pub fn start_cooldown(&mut self, now: f64, period_override: Option<Value>) {
        self.cooldown_active = true;
        self.cooldown_started_at = now;
        self.active_cooldown_period_s = period_override;
    }

    /// Ends the cooldown.
    pub fn clear_cooldown(&mut self) {
        *self = ThinkingState::default();
    }

    /// Clears the cooldown once `now - started >= period` (inclusive).
    pub fn tick(&mut self, now: f64, session_period: f64) -> Result<(), StateError> {
        if !self.cooldown_active {
            return Ok(());
        }
        let period = self.period(session_period)?;
        if now - self.cooldown_started_at >= period {
            self.clear_cooldown();
        }
        Ok(())
    }
}

impl ThinkingState {
    /// The running cooldown's period: the override, or the session's.
    pub fn period(&self, session_period: f64) -> Result<f64, StateError> {
        match &self.active_cooldown_period_s {
            Some(v) => compare_operand(v),
            None => Ok(session_period),
        }
    }

    /// When the running cooldown clears (`None` without one, or with a period the SDK
    /// cannot compare).
    pub fn cooldown_until(&self, session_period: f64) -> Option<f64> {
        if !self.cooldown_active {
            return None;
        }
        self.period(session_period).ok().map(|p| self.cooldown_started_at + p)
    }
}

/// A value the SDK compares with a float (a tour's or the session's timeout and cooldown):
/// numbers and booleans work, anything else raises. `triggers validate` reports the values
/// this refuses.
pub(crate) fn compare_operand(value: &Value) -> Result<f64, StateError> {
    py::as_number(value).ok_or_else(|| {
        StateError::Sdk(format!(
            "TypeError: '>' not supported between instances of 'float' and '{}'",
            py::type_name(value)
        ))
    })
}

/// `ProactiveState` / `ReactiveState` (diagnostic timers only).
#[derive(Debug, Clone, PartialEq)]
pub struct SubState {
    /// Whether the user tapped a chip while in this state.
    pub user_clicked_option: bool,
    /// Seconds from the last message to the last check.
    pub time_since_last_interaction_s: f64,
    /// When the last message in this state was sent or received.
    pub last_message_at: f64,
}

impl SubState {
    fn fresh(now: f64) -> SubState {
        SubState { user_clicked_option: false, time_since_last_interaction_s: 0.0, last_message_at: now }
    }
}

/// The v2 `SessionState`.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    /// The state the session is in.
    pub current_state: AgentState,
    /// When the user or the agent last interacted.
    pub last_interaction_at: f64,
    /// The session interaction timeout in seconds.
    pub interaction_timeout_s: f64,
    /// The session cooldown in seconds.
    pub cooldown_period_s: f64,
    /// The session cooldown as the config wrote it (an integer stays an integer); it becomes
    /// the override of a timeout outside a registered tour.
    pub cooldown_period_written: Value,
    /// Whether a tour is running.
    pub visual_guidance_active: bool,
    /// The provider flow id of the running tour, as given (any JSON value; `None` for none).
    pub active_tour_id: Option<Value>,
    /// The thinking state's cooldown.
    pub thinking: ThinkingState,
    /// Timers of the proactive state.
    pub proactive: SubState,
    /// Timers of the reactive state.
    pub reactive: SubState,
}

/// What [`SessionState::tick`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum TickOutcome {
    /// No transition.
    Nothing,
    /// An active state timed out; the cooldown now running uses this period override.
    TimedOut {
        /// The state that timed out.
        from: AgentState,
    },
    /// A cooldown ended.
    CooldownCleared,
}

impl SessionState {
    /// A fresh state at `now` (thinking, no cooldown, `last_interaction_at = now`).
    pub fn new(now: f64, interaction_timeout_s: f64, cooldown_period_s: f64) -> SessionState {
        SessionState {
            current_state: AgentState::Thinking,
            last_interaction_at: now,
            interaction_timeout_s,
            cooldown_period_s,
            cooldown_period_written: Value::from(cooldown_period_s),
            visual_guidance_active: false,
            active_tour_id: None,
            thinking: ThinkingState::default(),
            proactive: SubState::fresh(now),
            reactive: SubState::fresh(now),
        }
    }

    /// `tick(tour_registry)`: the only way out of proactive/reactive.
    pub fn tick(&mut self, now: f64, registry: Option<&TourRegistry>) -> Result<TickOutcome, StateError> {
        match self.current_state {
            AgentState::Thinking => {
                let was = self.thinking.cooldown_active;
                self.thinking.tick(now, self.cooldown_period_s)?;
                Ok(if was && !self.thinking.cooldown_active {
                    TickOutcome::CooldownCleared
                } else {
                    TickOutcome::Nothing
                })
            }
            from => {
                let (timeout, cooldown) = self.active_timers(registry);
                let timeout = compare_operand(&timeout)?;
                if now - self.last_interaction_at > timeout {
                    self.current_state = AgentState::Thinking;
                    self.visual_guidance_active = false;
                    self.active_tour_id = None;
                    let period = if cooldown.is_null() { None } else { Some(cooldown) };
                    self.thinking.start_cooldown(now, period);
                    return Ok(TickOutcome::TimedOut { from });
                }
                let sub = if from == AgentState::Proactive { &mut self.proactive } else { &mut self.reactive };
                sub.time_since_last_interaction_s = now - sub.last_message_at;
                Ok(TickOutcome::Nothing)
            }
        }
    }

    /// The interaction timeout and the cooldown (as written) of the active state: the
    /// running tour's when the registry knows it, else the session's.
    fn active_timers(&self, registry: Option<&TourRegistry>) -> (Value, Value) {
        if let (Some(registry), Some(flow)) = (registry, &self.active_tour_id)
            && let Some(tour) = registry.get_by_user_tour_id(flow)
        {
            return (tour.interaction_timeout_s.clone(), tour.cooldown_period_s.clone());
        }
        (Value::from(self.interaction_timeout_s), self.cooldown_period_written.clone())
    }

    /// When an active state times out: the first time strictly after this one (`None` in
    /// thinking, or for a timeout the SDK cannot compare).
    pub fn times_out_after(&self, registry: Option<&TourRegistry>) -> Option<f64> {
        if self.current_state == AgentState::Thinking {
            return None;
        }
        let timeout = compare_operand(&self.active_timers(registry).0).ok()?;
        Some(self.last_interaction_at + timeout)
    }

    /// The cooldown period that will clear the running cooldown (as written).
    pub fn running_cooldown_period(&self) -> Value {
        self.thinking.active_cooldown_period_s.clone().unwrap_or_else(|| Value::from(self.cooldown_period_s))
    }

    fn invalid(&self, target: AgentState) -> StateError {
        StateError::InvalidTransition(format!(
            "Cannot transition to {} from {}. Must be in THINKING first. PROACTIVE and REACTIVE can only exit via interaction timeout.",
            target.upper(),
            self.current_state.as_str()
        ))
    }

    /// `transition_to_proactive`: `Ok(false)` while a cooldown is still running.
    pub fn transition_to_proactive(&mut self, now: f64) -> Result<bool, StateError> {
        if self.current_state != AgentState::Thinking {
            return Err(self.invalid(AgentState::Proactive));
        }
        self.thinking.tick(now, self.cooldown_period_s)?;
        if self.thinking.cooldown_active {
            return Ok(false);
        }
        self.last_interaction_at = now;
        self.current_state = AgentState::Proactive;
        self.proactive = SubState::fresh(now);
        Ok(true)
    }

    /// `transition_to_reactive`: the user opened the chat; clears any cooldown.
    pub fn transition_to_reactive(&mut self, now: f64) -> Result<(), StateError> {
        if self.current_state != AgentState::Thinking {
            return Err(self.invalid(AgentState::Reactive));
        }
        self.last_interaction_at = now;
        self.current_state = AgentState::Reactive;
        self.reactive = SubState::fresh(now);
        self.thinking.clear_cooldown();
        Ok(())
    }

    /// `record_any_interaction`: moves `last_interaction_at` only.
    pub fn record_any_interaction(&mut self, now: f64) {
        self.last_interaction_at = now;
    }

    fn reset_sub_timer(&mut self, now: f64) {
        match self.current_state {
            AgentState::Proactive => self.proactive.last_message_at = now,
            AgentState::Reactive => self.reactive.last_message_at = now,
            AgentState::Thinking => {}
        }
    }

    /// `record_user_interaction`: also restarts the current state's message timer.
    pub fn record_user_interaction(&mut self, now: f64) {
        self.last_interaction_at = now;
        self.reset_sub_timer(now);
    }

    /// `record_option_click`: in proactive, marks the chip tap.
    pub fn record_option_click(&mut self, now: f64) {
        self.last_interaction_at = now;
        if self.current_state == AgentState::Proactive {
            self.proactive.user_clicked_option = true;
            self.proactive.last_message_at = now;
        }
    }

    /// `record_reaction`: counts as a user interaction.
    pub fn record_reaction(&mut self, now: f64) {
        self.record_user_interaction(now);
    }

    /// `record_tour_step`: counts as a user interaction.
    pub fn record_tour_step(&mut self, now: f64) {
        self.record_user_interaction(now);
    }

    /// `set_visual_guidance`: raises in thinking.
    pub fn set_visual_guidance(&mut self, now: f64, active: bool, tour_id: Option<Value>) -> Result<(), StateError> {
        if self.current_state == AgentState::Thinking {
            return Err(StateError::InvalidTransition(
                "set_visual_guidance() cannot be called in THINKING state. Visual guidance is only valid in PROACTIVE or REACTIVE."
                    .into(),
            ));
        }
        if active {
            self.visual_guidance_active = true;
            self.active_tour_id = tour_id.filter(|v| !v.is_null());
            self.record_any_interaction(now);
        } else {
            self.visual_guidance_active = false;
            self.active_tour_id = None;
        }
        Ok(())
    }

    /// `to_dict()` in the SDK's 0.7.3 JSON shape.
    pub fn to_dict(&self) -> Value {
        let sub = |s: &SubState, clicked: bool| {
            let mut m = Map::new();
            if clicked {
                m.insert("user_clicked_option".into(), Value::Bool(s.user_clicked_option));
            }
            m.insert("time_since_last_interaction_s".into(), Value::from(s.time_since_last_interaction_s));
            m.insert("last_message_at".into(), Value::from(s.last_message_at));
            Value::Object(m)
        };
        json!({
            "_v": 1,
            "current_state": self.current_state.as_str(),
            "last_interaction_at": self.last_interaction_at,
            "interaction_timeout_s": self.interaction_timeout_s,
            "cooldown_period_s": self.cooldown_period_written,
            "visual_guidance_active": self.visual_guidance_active,
            "active_tour_id": self.active_tour_id.clone().unwrap_or(Value::Null),
            "thinking": {
                "cooldown_active": self.thinking.cooldown_active,
                "cooldown_started_at": self.thinking.cooldown_started_at,
                "active_cooldown_period_s": self.thinking.active_cooldown_period_s.clone().unwrap_or(Value::Null),
            },
            "proactive": sub(&self.proactive, true),
            "reactive": sub(&self.reactive, false),
        })
    }

    /// `from_dict()` (0.7.3 rules: `_v` must be 1, `current_state` and `last_interaction_at`
    /// are required, the rest falls back to defaults).
    pub fn from_dict(value: &Value) -> Result<SessionState, String> {
        let obj = value.as_object().ok_or("snapshot must be a JSON object")?;
        let version = obj.get("_v").cloned().unwrap_or(Value::from(1));
        if !py::py_eq(&version, &Value::from(1)) {
            return Err(format!("Unknown SessionState snapshot version: {}", py::repr(&version)));
        }
        let state = obj
            .get("current_state")
            .ok_or("KeyError: 'current_state'")?
            .as_str()
            .and_then(AgentState::from_wire)
            .ok_or("current_state is not a known state")?;
        let last = obj.get("last_interaction_at").ok_or("KeyError: 'last_interaction_at'")?;
        let last = py::as_number(last).ok_or("last_interaction_at must be a number")?;
        let num = |m: &Map<String, Value>, k: &str, d: f64| m.get(k).and_then(py::as_number).unwrap_or(d);
        let flag = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
        let empty = Map::new();
        let th = obj.get("thinking").and_then(Value::as_object).unwrap_or(&empty);
        let sub = |key: &str| {
            let m = obj.get(key).and_then(Value::as_object).unwrap_or(&empty);
            SubState {
                user_clicked_option: flag(m, "user_clicked_option"),
                time_since_last_interaction_s: num(m, "time_since_last_interaction_s", 0.0),
                last_message_at: num(m, "last_message_at", last),
            }
        };
        Ok(SessionState {
            current_state: state,
            last_interaction_at: last,
            interaction_timeout_s: num(obj, "interaction_timeout_s", super::config::DEFAULT_INTERACTION_TIMEOUT_S),
            cooldown_period_s: num(obj, "cooldown_period_s", super::config::DEFAULT_COOLDOWN_PERIOD_S),
            cooldown_period_written: obj
                .get("cooldown_period_s")
                .filter(|v| py::as_number(v).is_some())
                .cloned()
                .unwrap_or(Value::from(super::config::DEFAULT_COOLDOWN_PERIOD_S)),
            visual_guidance_active: flag(obj, "visual_guidance_active"),
            active_tour_id: obj.get("active_tour_id").filter(|v| !v.is_null()).cloned(),
            thinking: ThinkingState {
                cooldown_active: flag(th, "cooldown_active"),
                cooldown_started_at: num(th, "cooldown_started_at", 0.0),
                active_cooldown_period_s: th.get("active_cooldown_period_s").filter(|v| !v.is_null()).cloned(),
            },
            proactive: sub("proactive"),
            reactive: sub("reactive"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::config::TourDefinition;

    #[test]
    fn timeout_is_strict_and_cooldown_inclusive() {
        let mut s = SessionState::new(0.0, 20.0, 60.0);
        assert!(s.transition_to_proactive(0.0).unwrap());
        assert_eq!(s.tick(20.0, None).unwrap(), TickOutcome::Nothing);
        assert_eq!(s.tick(20.5, None).unwrap(), TickOutcome::TimedOut { from: AgentState::Proactive });
        assert_eq!(s.thinking.cooldown_started_at, 20.5);
        assert!(!s.transition_to_proactive(80.0).unwrap());
        assert_eq!(s.tick(80.5, None).unwrap(), TickOutcome::CooldownCleared);
        assert!(s.transition_to_proactive(81.0).unwrap());
    }

    #[test]
    fn tour_timings_come_from_the_registry() {
        let registry = TourRegistry {
            product_id: "p".into(),
            tours: vec![TourDefinition {
                id: json!("chip"),
                user_tour_id: Some(json!("flow")),
                user_tour_name: None,
                interaction_timeout_s: json!(30),
                cooldown_period_s: json!(90),
            }],
        };
        let mut s = SessionState::new(0.0, 20.0, 60.0);
        s.transition_to_reactive(0.0).unwrap();
        s.set_visual_guidance(1.0, true, Some(json!("flow"))).unwrap();
        assert_eq!(s.tick(25.0, Some(&registry)).unwrap(), TickOutcome::Nothing);
        assert_eq!(s.tick(31.5, Some(&registry)).unwrap(), TickOutcome::TimedOut { from: AgentState::Reactive });
        assert_eq!(s.running_cooldown_period(), json!(90));
        assert_eq!(s.active_tour_id, None);
    }

    #[test]
    fn visual_guidance_raises_in_thinking() {
        let mut s = SessionState::new(0.0, 20.0, 60.0);
        assert!(matches!(s.set_visual_guidance(1.0, true, None), Err(StateError::InvalidTransition(_))));
        s.transition_to_reactive(1.0).unwrap();
        assert!(matches!(s.transition_to_proactive(2.0), Err(StateError::InvalidTransition(_))));
    }

    #[test]
    fn snapshot_round_trips() {
        let mut s = SessionState::new(5.0, 20.0, 60.0);
        s.transition_to_proactive(5.0).unwrap();
        s.tick(30.0, None).unwrap();
        let back = SessionState::from_dict(&s.to_dict()).unwrap();
        assert_eq!(back.to_dict(), s.to_dict());
        assert!(
            SessionState::from_dict(&json!({"_v": 2})).unwrap_err().contains("Unknown SessionState snapshot version")
        );
    }
}
