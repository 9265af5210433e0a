//! Who may manage API clients: a signed-in user, or an API client token with
//! the scope `api_clients:manage`, which acts for its owner on its owner's
//! clients only (contract §10, "self-management").

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use users_domain::client_access::Scope;
use users_domain::client_token::is_client_token;

use super::caller::{bearer_token, Caller};
use super::provider_reader::admitted_client;
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
        let client = admitted_client(req, credential, Scope::ApiClientsManage);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let client = client.await?;
            let state = state.ok_or_else(Problem::internal)?;
            let owner_id = client.owner_id.clone();
            // The token was accepted, so its owner is live and active.
            let owner = state.db.query(move |conn| users::find(conn, &owner_id)).await?;
            let owner = owner.ok_or_else(Problem::unauthorized)?;
            let caller = Caller { role: Role::of(owner.api_user), user: owner };
            Ok(ClientsCaller { caller, via: Some(client) })
        })
    }
}
