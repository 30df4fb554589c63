//! Views whose code is loaded on first use, so the page downloads only what its first screen
//! needs. A view is declared with `lazy_view!` (its name, its chunk and its component) and drawn
//! with `VIEW.html(props)`; the first time it is drawn, the page fetches the wasm
//! chunk that holds its code and shows a short loading line meanwhile, then draws it like any
//! other component. It is still one Yew app with one state: the chunk is instantiated into the
//! page's own wasm instance (the same memory, the same function table), so a lazy view reads
//! the state and dispatches actions like every other view.
//!
//! How: in the page's release and development builds (Trunk builds the app with the `split`
//! feature, see index.html) the view's entry point carries `wasm_split_helpers`'s
//! `#[wasm_split(chunk, fallible)]`, and scripts/post_build.py splits the wasm with
//! `wasm-split-cli` (crate `wasm_split_cli_support`) into the page's part and one chunk per name,
//! each loaded by the split tool's JavaScript when its entry point is first called. Code reached
//! only from a chunk's entry points moves into that chunk; code the page also uses stays in the
//! page. Without the feature (native tests, browser tests, clippy) the entry point is an
//! ordinary function and the view is ready at once. See docs/architecture.md ("Lazy views").

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::thread::LocalKey;

use yew::prelude::*;

/// How a loaded view draws its props.
pub type Render<P> = fn(&Rc<P>) -> Html;

/// Why a chunk could not be loaded (it is not cached: the next try starts again).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError;

#[cfg(all(feature = "split", target_arch = "wasm32"))]
impl From<wasm_split_helpers::SplitLoaderError> for LoadError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        LoadError
    }
}

thread_local! {
    /// Sections drawn with `after_start` whose chunks are still loading.
    static PENDING: Cell<usize> = const { Cell::new(0) };
    /// What waits for them (see `when_loaded`).
    static WAITING: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` once the sections below the first screen are drawn (at once if none is loading): a
/// link that names a section scrolls there after the sections above it have taken their place.
pub fn when_loaded(f: impl FnOnce() + 'static) {
    if PENDING.with(Cell::get) == 0 {
        f();
    } else {
        WAITING.with(|w| w.borrow_mut().push(Box::new(f)));
    }
}

/// One `after_start` section has loaded (or failed) and been drawn.
fn after_start_settled() {
    let left = PENDING.with(|p| {
        p.set(p.get().saturating_sub(1));
        p.get()
    });
    if left == 0 {
        for f in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
            f();
        }
    }
}

type Loading<P> = Pin<Box<dyn Future<Output = Result<Render<P>, LoadError>>>>;

/// A view whose code lives in a chunk loaded on first use. Made by `lazy_view!`.
pub struct LazyView<P: 'static> {
    /// The chunk's name (in parentheses after the view's name in `lazy_view!`).
    pub chunk: &'static str,
    loaded: &'static LocalKey<Cell<Option<Render<P>>>>,
    load: fn() -> Loading<P>,
}

impl<P: 'static> LazyView<P> {
    #[doc(hidden)]
    pub const fn new(
        chunk: &'static str,
        loaded: &'static LocalKey<Cell<Option<Render<P>>>>,
        load: fn() -> Loading<P>,
    ) -> Self {
        LazyView {
            chunk,
            loaded,
            load,
        }
    }

    /// The view's renderer, if its chunk has been loaded.
    pub fn ready(&self) -> Option<Render<P>> {
        self.loaded.with(Cell::get)
    }

    /// Loads the view's chunk (at once when it is loaded already) and keeps its renderer.
    pub async fn load(&self) -> Result<Render<P>, LoadError> {
        if let Some(render) = self.ready() {
            return Ok(render);
        }
        let render = (self.load)().await?;
        self.loaded.with(|cell| cell.set(Some(render)));
        Ok(render)
    }
}

impl<P: PartialEq + 'static> LazyView<P> {
    /// Draws the view with `props`, loading its chunk now if it is not loaded (see `Lazy`).
    pub fn html(&'static self, props: P) -> Html {
        html! { <Lazy view={self as &'static dyn AnyView} props={Rc::new(props) as Rc<dyn Any>} /> }
    }

    /// The same for a section below the first screen: its chunk is loaded once the page is
    /// interactive (after the page's first effects), and until then its place holds `id`, so a
    /// link to the section still finds it.
    pub fn after_start(&'static self, props: P, id: &'static str) -> Html {
        html! {
            <Lazy view={self as &'static dyn AnyView} props={Rc::new(props) as Rc<dyn Any>}
                  after_start={Some(id)} />
        }
    }
}

/// A lazy view whatever its props' type: `Lazy` is one component for every view (a generic
/// component would be compiled again, lifecycle and all, for each props type, in the page's
/// part). The props travel as `Rc<dyn Any>`, always the view's own `P`.
pub trait AnyView {
    /// The chunk's name.
    fn chunk(&self) -> &'static str;
    /// Whether the chunk is loaded (and the view can be drawn at once).
    fn is_ready(&self) -> bool;
    /// Loads the chunk.
    fn load_any(&'static self) -> Pin<Box<dyn Future<Output = Result<(), LoadError>>>>;
    /// Draws the view, once loaded.
    fn render_any(&self, props: &Rc<dyn Any>) -> Html;
    /// Whether two of its props are equal.
    fn props_eq(&self, a: &dyn Any, b: &dyn Any) -> bool;
}

impl<P: PartialEq + 'static> AnyView for LazyView<P> {
    fn chunk(&self) -> &'static str {
        self.chunk
    }

    fn is_ready(&self) -> bool {
        self.ready().is_some()
    }

    fn load_any(&'static self) -> Pin<Box<dyn Future<Output = Result<(), LoadError>>>> {
        Box::pin(async move { self.load().await.map(|_| ()) })
    }

    fn render_any(&self, props: &Rc<dyn Any>) -> Html {
        match (self.ready(), Rc::clone(props).downcast::<P>()) {
            (Some(render), Ok(props)) => render(&props),
            // Not reached: `Lazy` draws a view once it is ready, with its own props.
            _ => Html::default(),
        }
    }

    fn props_eq(&self, a: &dyn Any, b: &dyn Any) -> bool {
        matches!((a.downcast_ref::<P>(), b.downcast_ref::<P>()), (Some(a), Some(b)) if a == b)
    }
}

/// Declares a lazy view of a component:
///
/// ```ignore
/// lazy_view! {
///     /// The facilitator's exercise bar.
///     pub static EXERCISE_BAR(exercise) = ExerciseBar;
/// }
/// ```
///
/// `EXERCISE_BAR` is then drawn with `{ EXERCISE_BAR.html(ExerciseBarProps { … }) }`. The
/// component's code, and everything reached only from it, goes into the chunk `exercise` (views
/// that name the same chunk share it). Name the component nowhere else in code the page always
/// loads, or its code stays in the page; its props type may be named anywhere.
#[macro_export]
macro_rules! lazy_view {
    ($(#[$meta:meta])* $vis:vis static $name:ident ($chunk:ident) = $component:ty;) => {
        $(#[$meta])*
        $vis static $name: $crate::lazy::LazyView<<$component as ::yew::html::BaseComponent>::Properties> = {
            // The chunk's entry point: it returns the view's renderer, whose code (the
            // component's) is only reachable from here.
            #[allow(non_snake_case)]
            #[cfg_attr(
                all(feature = "split", target_arch = "wasm32"),
                ::wasm_split_helpers::wasm_split($chunk, fallible)
            )]
            fn $name() -> ::std::result::Result<
                $crate::lazy::Render<<$component as ::yew::html::BaseComponent>::Properties>,
                $crate::lazy::LoadError,
            > {
                fn render(
                    props: &::std::rc::Rc<<$component as ::yew::html::BaseComponent>::Properties>,
                ) -> ::yew::Html {
                    ::yew::virtual_dom::VComp::new::<$component>(::std::rc::Rc::clone(props), None).into()
                }
                ::std::result::Result::Ok(render)
            }
            ::std::thread_local! {
                static LOADED: ::std::cell::Cell<::std::option::Option<
                    $crate::lazy::Render<<$component as ::yew::html::BaseComponent>::Properties>,
                >> = const { ::std::cell::Cell::new(::std::option::Option::None) };
            }
            $crate::lazy::LazyView::new(::std::stringify!($chunk), &LOADED, || {
                #[cfg(all(feature = "split", target_arch = "wasm32"))]
                {
                    ::std::boxed::Box::pin($name())
                }
                #[cfg(not(all(feature = "split", target_arch = "wasm32")))]
                {
                    ::std::boxed::Box::pin(::std::future::ready($name()))
                }
            })
        };
    };
}

#[derive(Properties)]
pub struct LazyProps {
    pub view: &'static dyn AnyView,
    /// The view's props (its own `P`).
    pub props: Rc<dyn Any>,
    /// Load after the page's start, holding this id meanwhile (see `LazyView::after_start`).
    #[prop_or_default]
    pub after_start: Option<&'static str>,
}

impl PartialEq for LazyProps {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(self.view, other.view)
            && self.after_start == other.after_start
            && (Rc::ptr_eq(&self.props, &other.props)
                || self.view.props_eq(&*self.props, &*other.props))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Status {
    Loading,
    Ready,
    Failed,
}

/// Draws a lazy view: at once when its chunk is loaded, else a loading line until it is (or a
/// message with a retry button if it cannot be loaded).
#[component]
pub fn Lazy(props: &LazyProps) -> Html {
    let view = props.view;
    let status = use_state(|| {
        if view.is_ready() {
            Status::Ready
        } else {
            Status::Loading
        }
    });
    let attempt = use_state(|| 0u32);
    {
        let status = status.clone();
        let after_start = props.after_start.is_some();
        use_effect_with(*attempt, move |&attempt| {
            if !view.is_ready() {
                status.set(Status::Loading);
                let counted = after_start && attempt == 0;
                let load = move || {
                    wasm_bindgen_futures::spawn_local(async move {
                        status.set(match view.load_any().await {
                            Ok(()) => Status::Ready,
                            Err(LoadError) => Status::Failed,
                        });
                        if counted {
                            // Once drawn: Yew renders before a zero timeout fires.
                            gloo::timers::callback::Timeout::new(0, after_start_settled).forget();
                        }
                    })
                };
                if counted {
                    PENDING.with(|p| p.set(p.get() + 1));
                    // After every effect of this render, the page's own included: it is
                    // interactive by then.
                    gloo::timers::callback::Timeout::new(0, load).forget();
                } else {
                    load();
                }
            }
        });
    }
    match *status {
        Status::Ready => view.render_any(&props.props),
        Status::Loading => html! {
            <p id={props.after_start} class="lazy-loading" role="status" aria-busy="true" data-chunk={view.chunk()}>
                { "Loading this part of the app…" }
            </p>
        },
        Status::Failed => {
            let retry = {
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
            };
            html! {
                <div id={props.after_start} class="lazy-failed" role="alert" data-chunk={view.chunk()}>
                    <p>{ "This part of the app could not be loaded. Check your connection, then try again; everything else keeps working." }</p>
                    <button type="button" onclick={retry}>{ "Try again" }</button>
                </div>
            }
        }
    }
}
