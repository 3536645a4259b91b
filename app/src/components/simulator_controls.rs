//! The simulator's controls, shown to admins on the metrics page and in the back office.

use crate::{
    components::forms::{FormAlert, Refusal},
    server_fns::admin::SimulatorControl,
};
use leptos::{form::ActionForm, prelude::*};

/// The simulator's four buttons; the server function checks that the caller is an admin.
#[component]
pub fn ControlPanel() -> impl IntoView {
    let control = ServerAction::<SimulatorControl>::new();
    let error = Refusal::of(control).alert(&[]);
    let button = move |action: &'static str, label: &'static str| {
        view! {
            <ActionForm action=control>
                <input type="hidden" name="action" value=action />
                <button type="submit" class="button" disabled=move || control.pending().get()>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="controls" aria-labelledby="controls-title">
            <h2 id="controls-title">"Simulator controls"</h2>
            <div class="controls__buttons">
                {button("spike", "Inject traffic spike")}
                {button("fail", "Fail an instance")}
                {button("drift", "Cause configuration drift")}
                {button("reset", "Reset simulation")}
            </div>
            <FormAlert error />
        </section>
    }
}
