//! Who may manage API clients: a signed-in user, or an API client token with
//! the scope `api_clients:manage`, which acts for its owner on its owner's
//! clients only (contract §10, "self-management").

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};

use users_domain::client_access::Scope;
use users_domain::client_token::is_client_token;

use super::caller::{bearer_token, Caller};
use super::client_ip::client_ip;
use super::provider_reader::{check, ClientCheck};
use crate::auth::client::ClientCaller;
use crate::auth::jwt::Role;
use crate::db::users;
use crate::problem::Problem;
use crate::state::AppState;

/// The caller of an `/api-clients` operation.
#[derive(Debug, Clone)]
pub struct ClientsCaller {
    /// The user acting: the signed-in user, or the owner of the token used.
    pub caller: Caller,
    /// The API client token the request was made with, if it was.
    pub via: Option<ClientCaller>,
}

impl Deref for ClientsCaller {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl FromRequest for ClientsCaller {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let Some(credential) = bearer_token(req).filter(|c| is_client_token(c)) else {
            let caller = Caller::from_request(req, payload);
            return Box::pin(async move { Ok(ClientsCaller { caller: caller.await?, via: None }) });
        };
        let checked = req.extensions().get::<ClientCheck>().cloned();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let hops = state.as_ref().map_or(0, |state| state.limiter.trusted_proxy_hops());
        let ip = client_ip(req, hops);
        Box::pin(async move {
            let state = state.ok_or_else(Problem::internal)?;
            let checked = match checked {
                Some(checked) => checked,
                None => check(&state, credential).await,
            };
            let client = match checked {
                ClientCheck::Accepted(client) => client,
                ClientCheck::Refused => return Err(Problem::unauthorized()),
                ClientCheck::Unavailable => return Err(Problem::unavailable()),
            };
            client.admit(ip, Scope::ApiClientsManage)?;
            let owner_id = client.owner_id.clone();
            // The token was accepted, so its owner is live and active.
            let owner = state.db.query(move |conn| users::find(conn, &owner_id)).await?;
            let owner = owner.ok_or_else(Problem::unauthorized)?;
            let caller = Caller { role: Role::of(owner.api_user), user: owner };
            Ok(ClientsCaller { caller, via: Some(client) })
        })
    }
}
